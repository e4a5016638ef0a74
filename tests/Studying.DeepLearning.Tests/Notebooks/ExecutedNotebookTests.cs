using System.Text.Json.Nodes;
using Studying.DeepLearning.Notebooks;
using Xunit.Abstractions;

namespace Studying.DeepLearning.Tests.Notebooks;

/// <summary>
/// The outputs stored in notebooks/*.ipynb (by <c>studydl notebooks execute</c>) are current and small, without a
/// kernel. A notebook with any output must be fully executed: every code cell has outputs recorded for its current
/// source (SHA-256 in metadata.studydl.source_sha256), every "chart" cell a PNG, no error output, no output over
/// the size limit or with plotly.js inlined. Every notebook in the repository is committed executed, so one without
/// outputs fails too: a reader on GitHub would see no number and no chart.
/// </summary>
[Trait("Tier", "notebook")]
public sealed class ExecutedNotebookTests(ITestOutputHelper output)
{
    private static readonly DirectoryInfo s_root = NotebookRunner.FindRepositoryRoot();

    /// <summary>Every notebook under notebooks/ (file names).</summary>
    public static TheoryData<string> Notebooks() =>
        new([.. Directory.GetFiles(Path.Combine(s_root.FullName, "notebooks"), "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal)!]);

    /// <summary>A notebook's stored outputs belong to its current cell sources and are small.</summary>
    /// <param name="name">The notebook's file name.</param>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void StoredOutputs_AreCurrentAndSmall(string name)
    {
        var notebook = NotebookFile.Read(Path.Combine(s_root.FullName, "notebooks", name));
        var problems = Check(notebook, out var executed);
        if (!executed)
            problems.Add($"not executed (no outputs): run `studydl notebooks execute --notebook {Path.GetFileNameWithoutExtension(name)}` and commit it");
        output.WriteLine($"{name}: {(problems.Count == 0 ? "outputs current" : $"{problems.Count} problem(s)")}");

        Assert.True(problems.Count == 0, $"{name}:\n" + string.Join("\n", problems));
    }

    /// <summary>
    /// The writer reproduces Jupyter's own serialisation (Python's json.dumps with sort_keys, indent=1,
    /// ensure_ascii=False, plus a newline) byte for byte on every notebook in the repository, so that writing
    /// outputs back changes nothing else; and the hash is SHA-256 of the UTF-8 source (known vector for "abc").
    /// </summary>
    /// <param name="name">The notebook's file name.</param>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Serialize_ReproducesTheFileByteForByte(string name)
    {
        var path = Path.Combine(s_root.FullName, "notebooks", name);
        Assert.Equal(File.ReadAllText(path), NotebookFile.Serialize(NotebookFile.Read(path)));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", NotebookFile.SourceHash("abc"));
    }

    /// <summary>Non-ASCII is kept, control characters escaped as Python does, keys sorted.</summary>
    [Fact]
    public void Serialize_EscapesLikePython()
    {
        var json = new JsonObject { ["b"] = "é — \"q\" \\ \u0001\t", ["a"] = new JsonArray(), ["c"] = new JsonObject() };
        Assert.Equal("{\n \"a\": [],\n \"b\": \"é — \\\"q\\\" \\\\ \\u0001\\t\",\n \"c\": {}\n}\n", NotebookFile.Serialize(json));
    }

    /// <summary>The check fails on a stale hash, a missing PNG, an error output, an inlined plotly.js and a missing output.</summary>
    [Fact]
    public void Check_FindsEveryKindOfProblem()
    {
        const string Source = "Chart()";
        var hash = NotebookFile.SourceHash(Source);
        JsonObject Cell(string source, string? recorded, JsonArray outputs, params string[] tags) => new()
        {
            ["cell_type"] = "code",
            ["metadata"] = new JsonObject
            {
                ["tags"] = new JsonArray([.. tags.Select(t => (JsonNode)t)]),
                ["studydl"] = recorded is null ? null : new JsonObject { ["source_sha256"] = recorded },
            },
            ["outputs"] = outputs,
            ["source"] = NotebookFile.Lines(source),
        };
        JsonObject Display(string mime, string value, string? recorded) => new()
        {
            ["data"] = new JsonObject { [mime] = value },
            ["metadata"] = new JsonObject { ["studydl"] = new JsonObject { ["source_sha256"] = recorded } },
            ["output_type"] = "display_data",
        };

        var good = new JsonObject { ["cells"] = new JsonArray(Cell(Source, hash, [Display("image/png", "iVBOR", hash), Display("text/html", "<div></div>", hash)], "chart")) };
        Assert.Empty(Check(good, out var executed));
        Assert.True(executed);

        var stale = new JsonObject { ["cells"] = new JsonArray(Cell(Source + " // edited", hash, [Display("image/png", "iVBOR", hash)])) };
        Assert.Contains(Check(stale, out _), p => p.Contains("source changed", StringComparison.Ordinal));

        var noPng = new JsonObject { ["cells"] = new JsonArray(Cell(Source, hash, [Display("text/html", "<div></div>", hash)], "chart")) };
        Assert.Contains(Check(noPng, out _), p => p.Contains("no image/png", StringComparison.Ordinal));

        var error = new JsonObject { ["cells"] = new JsonArray(Cell(Source, hash, [new JsonObject { ["output_type"] = "error", ["ename"] = "E", ["evalue"] = "boom", ["traceback"] = new JsonArray() }])) };
        Assert.Contains(Check(error, out _), p => p.Contains("error output", StringComparison.Ordinal));

        var inlined = new JsonObject { ["cells"] = new JsonArray(Cell(Source, hash, [Display("text/html", "/**\n* plotly.js v2.27.0\n*/", hash)])) };
        Assert.Contains(Check(inlined, out _), p => p.Contains("plotly.js inlined", StringComparison.Ordinal));

        var huge = new JsonObject { ["cells"] = new JsonArray(Cell(Source, hash, [Display("image/png", new string('A', NotebookExecutor.MaxOutputChars + 1), hash)])) };
        Assert.Contains(Check(huge, out _), p => p.Contains("characters (limit", StringComparison.Ordinal));

        var partly = new JsonObject { ["cells"] = new JsonArray(Cell(Source, hash, [Display("image/png", "iVBOR", hash)]), Cell("1", null, [])) };
        Assert.Contains(Check(partly, out _), p => p.Contains("no outputs", StringComparison.Ordinal));

        var unexecuted = new JsonObject { ["cells"] = new JsonArray(Cell(Source, null, [], "chart")) };
        Assert.Empty(Check(unexecuted, out executed));
        Assert.False(executed);
    }

    /// <summary>The kernel reads the PNG switch by the name the executor sets.</summary>
    [Fact]
    public void PngVariable_MatchesTheFormatters() =>
        Assert.Equal(NotebookEnvironment.PngVariable, Studying.DeepLearning.Interactive.FigureFormatter.StaticImagesVariable);

    private static List<string> Check(JsonObject notebook, out bool executed)
    {
        var problems = new List<string>();
        var cells = notebook["cells"]!.AsArray().OfType<JsonObject>().Select((c, i) => (Cell: c, Number: i + 1)).Where(c => NotebookFile.IsCode(c.Cell)).ToList();
        executed = cells.Any(c => c.Cell["outputs"] is JsonArray { Count: > 0 });
        if (!executed)
        {
            return problems;
        }

        foreach (var (cell, number) in cells)
        {
            var source = NotebookFile.Source(cell);
            var hash = NotebookFile.SourceHash(source);
            var outputs = (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (string.IsNullOrWhiteSpace(source))
            {
                continue;
            }

            if (NotebookFile.RecordedHash(cell) != hash)
            {
                problems.Add($"cell {number}: its source changed since its outputs were made (recorded {NotebookFile.RecordedHash(cell) ?? "no hash"}, source is {hash}); run `studydl notebooks execute`");
            }

            if (outputs.Count == 0 && NotebookFile.RecordedHash(cell) is null)
            {
                problems.Add($"cell {number}: no outputs, in a notebook whose other cells have them (executed partly?)");
            }

            foreach (var item in outputs)
            {
                var json = item.ToJsonString();
                if ((string?)item["output_type"] == "error")
                {
                    problems.Add($"cell {number}: an error output is stored");
                }

                if (item["metadata"] is JsonObject && NotebookFile.RecordedHash(item) != hash)
                {
                    problems.Add($"cell {number}: an output records source hash {NotebookFile.RecordedHash(item) ?? "none"}, not {hash}");
                }

                if (json.Length > NotebookExecutor.MaxOutputChars)
                {
                    problems.Add($"cell {number}: an output of {json.Length} characters (limit {NotebookExecutor.MaxOutputChars})");
                }

                if (json.Contains(NotebookExecutor.InlinedPlotlyMarker, StringComparison.Ordinal))
                {
                    problems.Add($"cell {number}: an output with plotly.js inlined");
                }
            }

            if (NotebookFile.Tags(cell).Contains(NotebookRunner.ChartTag, StringComparer.OrdinalIgnoreCase) &&
                !outputs.Any(o => o["data"] is JsonObject data && data.ContainsKey("image/png")))
            {
                problems.Add($"cell {number}: tagged \"chart\" but has no image/png output");
            }
        }

        return problems;
    }
}

/// <summary>How a kernel run becomes nbformat outputs, without a kernel: the run is written by hand.</summary>
[Trait("Tier", "notebook")]
public sealed class NotebookExecutorTests
{
    /// <summary>
    /// Streams are merged per name with ANSI codes removed, displays and return values keep every MIME type (PNG as
    /// one base64 string), the kernel's error outputs are dropped, execution counts follow the code cells, the
    /// cell metadata is kept, and the cell and each rich output record the SHA-256 of the cell's source.
    /// </summary>
    [Fact]
    public void ApplyOutputs_WritesNbformatWithSourceHashes()
    {
        const string Code = "Console.Write(\"a\");\nx";
        var notebook = (JsonObject)JsonNode.Parse("""
            {"cells": [
              {"cell_type": "markdown", "metadata": {}, "source": ["# T"]},
              {"cell_type": "code", "execution_count": null, "metadata": {"tags": ["chart"], "polyglot_notebook": {"kernelName": "csharp"}}, "outputs": [], "source": ["Console.Write(\"a\");\n", "x"]}
            ], "metadata": {}, "nbformat": 4, "nbformat_minor": 2}
            """)!;
        var run = new NotebookRunResult
        {
            NotebookPath = "t.ipynb",
            Cells =
            [
                new CellResult { Number = 1, KernelName = "markdown", Source = "# T", Tags = [] },
                new CellResult
                {
                    Number = 2, KernelName = "csharp", Source = Code, Tags = ["chart"], Status = CellStatus.Succeeded,
                    Outputs =
                    [
                        new CellOutput(CellOutputKind.StandardOutput, [new CellDisplay("text/plain", "\u001b[31mred\u001b[0m line 1\n")]),
                        new CellOutput(CellOutputKind.StandardOutput, [new CellDisplay("text/plain", "line 2\n")]),
                        new CellOutput(CellOutputKind.Error, [new CellDisplay("text/plain", "ignored")]),
                        new CellOutput(CellOutputKind.Display, [new CellDisplay("text/plain", "Loading extensions from `/root/x.dll`")]),
                        new CellOutput(CellOutputKind.ReturnValue, [new CellDisplay("text/html", "<div id=\"c\"></div>\n<p>2</p>"), new CellDisplay("image/png", "iVBOR\n")]),
                    ],
                },
            ],
        };

        Assert.Null(NotebookExecutor.ApplyOutputs(notebook, run));

        var cell = notebook["cells"]![1]!.AsObject();
        var hash = NotebookFile.SourceHash(Code);
        Assert.Equal(1, (int)cell["execution_count"]!);
        Assert.Equal(hash, NotebookFile.RecordedHash(cell));
        Assert.Equal("csharp", (string?)cell["metadata"]!["polyglot_notebook"]!["kernelName"]);
        var outputs = cell["outputs"]!.AsArray();
        Assert.Equal(2, outputs.Count);
        Assert.Equal("stream", (string?)outputs[0]!["output_type"]);
        Assert.Equal("stdout", (string?)outputs[0]!["name"]);
        Assert.Equal(["red line 1\n", "line 2\n"], outputs[0]!["text"]!.AsArray().Select(l => (string?)l));
        Assert.Null(outputs[0]!["metadata"]); // nbformat's stream outputs have no metadata
        Assert.Equal("execute_result", (string?)outputs[1]!["output_type"]);
        Assert.Equal(1, (int)outputs[1]!["execution_count"]!);
        Assert.Equal(["<div id=\"c\"></div>\n", "<p>2</p>"], outputs[1]!["data"]!["text/html"]!.AsArray().Select(l => (string?)l));
        Assert.Equal("iVBOR", (string?)outputs[1]!["data"]!["image/png"]);
        Assert.Equal(hash, NotebookFile.RecordedHash(outputs[1]!.AsObject()));
    }

    /// <summary>A run whose cells do not match the file, or an output with plotly.js inlined, is refused.</summary>
    [Fact]
    public void ApplyOutputs_RefusesMismatchesAndInlinedPlotly()
    {
        static JsonObject Notebook() => (JsonObject)JsonNode.Parse("""{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": "1"}]}""")!;
        CellResult Cell(string source, string html) => new()
        {
            Number = 1, KernelName = "csharp", Source = source, Tags = [], Status = CellStatus.Succeeded,
            Outputs = [new CellOutput(CellOutputKind.Display, [new CellDisplay("text/html", html)])],
        };

        Assert.Contains("source differs", NotebookExecutor.ApplyOutputs(Notebook(), new NotebookRunResult { NotebookPath = "t", Cells = [Cell("2", "<p/>")] }), StringComparison.Ordinal);
        Assert.Contains("plotly.js inlined", NotebookExecutor.ApplyOutputs(Notebook(), new NotebookRunResult { NotebookPath = "t", Cells = [Cell("1", "<script>/**\n* plotly.js v2.27.0\n*/</script>")] }), StringComparison.Ordinal);
        Assert.Contains("has 1 cells but the kernel ran 0", NotebookExecutor.ApplyOutputs(Notebook(), new NotebookRunResult { NotebookPath = "t", Cells = [] }), StringComparison.Ordinal);
    }
}
