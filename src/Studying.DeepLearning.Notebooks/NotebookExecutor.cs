using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Studying.DeepLearning.Notebooks;

/// <summary>What <see cref="NotebookExecutor.ExecuteAsync"/> did with one notebook.</summary>
/// <param name="NotebookPath">The notebook file.</param>
/// <param name="Written">True when the file now holds the new outputs; false leaves it byte-for-byte unchanged.</param>
/// <param name="Message">One line (success) or the report of what failed.</param>
/// <param name="Run">The kernel run, when there was one.</param>
public sealed record NotebookExecution(string NotebookPath, bool Written, string Message, NotebookRunResult? Run);

/// <summary>
/// Runs a notebook through the pinned kernel and writes its outputs back into the .ipynb (standard nbformat 4:
/// stream, display_data and execute_result outputs), each code cell and each rich output recording the SHA-256 of
/// the cell source that made it (<c>metadata.studydl.source_sha256</c>). A notebook with a failing cell, a chart cell
/// without a chart, or an output that is too large is reported and its file left unchanged: error outputs are never
/// written.
/// </summary>
public static class NotebookExecutor
{
    /// <summary>The largest one output may be, in characters of its JSON data.</summary>
    /// <remarks>A chart output carries its PNG twice (inside the HTML for viewers without JavaScript, and as image/png);
    /// a dense contour chart at 800×500 comes to about half a million characters.</remarks>
    public const int MaxOutputChars = 700_000;

    /// <summary>A marker of plotly.js's own source (its banner comment), which must never be stored in an output.</summary>
    public const string InlinedPlotlyMarker = "* plotly.js v";

    /// <summary>Runs the notebook and, if every cell succeeded, replaces its outputs.</summary>
    /// <param name="notebookPath">The .ipynb file.</param>
    /// <param name="options">Runner settings; its <see cref="NotebookRunnerOptions.OutputDirectory"/> is ignored.</param>
    /// <param name="cancellationToken">Cancels the run (the file is left unchanged).</param>
    public static async Task<NotebookExecution> ExecuteAsync(string notebookPath, NotebookRunnerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = Path.GetFullPath(notebookPath);
        var original = File.ReadAllText(path);
        NotebookFile.Read(path); // reports a malformed file before a kernel starts

        var environment = new Dictionary<string, string>(options.Environment, StringComparer.Ordinal)
        {
            [NotebookEnvironment.PngVariable] = "1",
        };
        var run = await new NotebookRunner(options with { OutputDirectory = null, Environment = environment })
            .RunAsync(path, cancellationToken).ConfigureAwait(false);
        if (!run.Succeeded)
        {
            return new NotebookExecution(path, false, $"not written (file unchanged): {run.Describe()}", run);
        }

        if (File.ReadAllText(path) != original)
        {
            return new NotebookExecution(path, false, $"{path}: the file changed while it ran; not written (run it again).", run);
        }

        var notebook = NotebookFile.Read(path);
        var problem = ApplyOutputs(notebook, run);
        if (problem is not null)
        {
            return new NotebookExecution(path, false, $"{path}: {problem}; not written (file unchanged).", run);
        }

        NotebookFile.WriteAtomically(path, NotebookFile.Serialize(notebook));
        var inv = CultureInfo.InvariantCulture;
        return new NotebookExecution(path, true,
            string.Create(inv, $"{Path.GetFileName(path)}: {run.Cells.Count(c => c.IsCode)} code cells, outputs written ({new FileInfo(path).Length / 1024} KB, {run.TotalDuration.TotalSeconds:F0} s)"),
            run);
    }

    /// <summary>
    /// Replaces every code cell's outputs in <paramref name="notebook"/> with those of <paramref name="run"/>;
    /// returns what is wrong (cell counts or sources differ, an output too large or with inlined plotly.js), or null.
    /// </summary>
    /// <param name="notebook">The notebook JSON, changed in place.</param>
    /// <param name="run">A successful run of the same file.</param>
    public static string? ApplyOutputs(JsonObject notebook, NotebookRunResult run)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        ArgumentNullException.ThrowIfNull(run);
        var cells = notebook["cells"]!.AsArray();
        if (cells.Count != run.Cells.Count)
        {
            return $"the file has {cells.Count} cells but the kernel ran {run.Cells.Count}";
        }

        var executionCount = 0;
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject cell || !NotebookFile.IsCode(cell))
            {
                continue;
            }

            var source = NotebookFile.Source(cell);
            var result = run.Cells[i];
            if (!string.Equals(source.ReplaceLineEndings("\n"), result.Source.ReplaceLineEndings("\n"), StringComparison.Ordinal))
            {
                return $"cell {i + 1}'s source differs from the one the kernel ran";
            }

            var hash = NotebookFile.SourceHash(source);
            var ran = result.Status == CellStatus.Succeeded && !string.IsNullOrWhiteSpace(source);
            var outputs = ran ? ToOutputs(result, hash, ++executionCount) : [];
            foreach (var output in outputs.OfType<JsonObject>())
            {
                var json = output.ToJsonString();
                if (json.Length > MaxOutputChars)
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"cell {i + 1} has an output of {json.Length} characters (limit {MaxOutputChars}); display less, or a smaller chart");
                }

                if (json.Contains(InlinedPlotlyMarker, StringComparison.Ordinal))
                {
                    return $"cell {i + 1} has an output with plotly.js inlined; display figures with the CDN script (FigureFormatter.Script = PlotlyScript.Cdn)";
                }
            }

            cell["execution_count"] = ran ? executionCount : null;
            cell["outputs"] = outputs;
            var metadata = cell["metadata"] as JsonObject ?? [];
            cell["metadata"] = metadata;
            metadata[NotebookFile.MetadataKey] = new JsonObject { [NotebookFile.SourceHashKey] = hash };
        }

        return null;
    }

    // The kernel's note about loading a package's notebook extension names a path on this machine: not an output.
    private static bool IsKernelNoise(CellOutput output) =>
        output.Values.Count == 1 && output.Values[0].MimeType == "text/plain" &&
        output.Values[0].Value.StartsWith("Loading extensions from `", StringComparison.Ordinal);

    private static JsonArray ToOutputs(CellResult cell, string hash, int executionCount)
    {
        var outputs = new JsonArray();
        JsonObject? lastStream = null;
        var streamText = new StringBuilder();
        void FlushStream()
        {
            if (lastStream is not null)
            {
                lastStream["text"] = NotebookFile.Lines(streamText.ToString());
                lastStream = null;
                streamText.Clear();
            }
        }

        foreach (var output in cell.Outputs)
        {
            switch (output.Kind)
            {
                case CellOutputKind.StandardOutput or CellOutputKind.StandardError:
                    var name = output.Kind == CellOutputKind.StandardOutput ? "stdout" : "stderr";
                    if (lastStream is null || (string?)lastStream["name"] != name)
                    {
                        FlushStream();
                        lastStream = new JsonObject { ["name"] = name, ["output_type"] = "stream" };
                        outputs.Add(lastStream);
                    }

                    streamText.Append(NotebookFile.Portable(NotebookFile.StripAnsi(output.Values.Count > 0 ? output.Values[0].Value : "")));
                    break;
                case CellOutputKind.Display when IsKernelNoise(output):
                    break;
                case CellOutputKind.Display or CellOutputKind.ReturnValue:
                    FlushStream();
                    var data = new JsonObject();
                    foreach (var value in output.Values.DistinctBy(v => v.MimeType))
                    {
                        data[value.MimeType] = value.MimeType.StartsWith("image/", StringComparison.Ordinal) && value.MimeType != "image/svg+xml"
                            ? value.Value.Trim()
                            : NotebookFile.Lines(NotebookFile.Portable(NotebookFile.StripAnsi(value.Value)));
                    }

                    if (data.Count == 0)
                    {
                        break;
                    }

                    var rich = new JsonObject
                    {
                        ["data"] = data,
                        ["metadata"] = new JsonObject { [NotebookFile.MetadataKey] = new JsonObject { [NotebookFile.SourceHashKey] = hash } },
                        ["output_type"] = output.Kind == CellOutputKind.ReturnValue ? "execute_result" : "display_data",
                    };
                    if (output.Kind == CellOutputKind.ReturnValue)
                    {
                        rich["execution_count"] = executionCount;
                    }

                    outputs.Add(rich);
                    break;
                default:
                    // CellOutputKind.Error: a succeeded cell has none worth keeping, and error outputs are never stored.
                    break;
            }
        }

        FlushStream();
        return outputs;
    }
}
