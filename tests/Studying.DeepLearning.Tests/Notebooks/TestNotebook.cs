using System.Text.Json.Nodes;

namespace Studying.DeepLearning.Tests.Notebooks;

/// <summary>One cell of a notebook written by a test.</summary>
/// <param name="Kernel">csharp, fsharp, ... or markdown.</param>
/// <param name="Source">The cell text.</param>
/// <param name="Tags">Jupyter tags (metadata.tags).</param>
internal sealed record TestCell(string Kernel, string Source, params string[] Tags);

/// <summary>Writes small .ipynb files shaped like the ones VS Code's Polyglot Notebooks saves.</summary>
internal static class TestNotebook
{
    public static string Write(DirectoryInfo folder, string fileName, params TestCell[] cells)
    {
        var cellArray = new JsonArray();
        foreach (var cell in cells)
        {
            var metadata = new JsonObject();
            if (cell.Tags.Length > 0)
            {
                metadata["tags"] = new JsonArray([.. cell.Tags.Select(t => (JsonNode)JsonValue.Create(t))]);
            }

            var json = new JsonObject { ["id"] = Guid.NewGuid().ToString("N")[..8] };
            if (cell.Kernel == "markdown")
            {
                json["cell_type"] = "markdown";
            }
            else
            {
                json["cell_type"] = "code";
                json["execution_count"] = null;
                metadata["dotnet_interactive"] = new JsonObject { ["language"] = cell.Kernel };
                metadata["polyglot_notebook"] = new JsonObject { ["kernelName"] = cell.Kernel };
                json["outputs"] = new JsonArray();
            }

            json["metadata"] = metadata;
            json["source"] = new JsonArray([.. SplitLines(cell.Source).Select(l => (JsonNode)JsonValue.Create(l))]);
            cellArray.Add(json);
        }

        var notebook = new JsonObject
        {
            ["cells"] = cellArray,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject
                {
                    ["display_name"] = ".NET (C#)",
                    ["language"] = "C#",
                    ["name"] = ".net-csharp",
                },
                ["polyglot_notebook"] = new JsonObject
                {
                    ["kernelInfo"] = new JsonObject
                    {
                        ["defaultKernelName"] = "csharp",
                        ["items"] = new JsonArray(
                            new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" },
                            new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "fsharp" }),
                    },
                },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 2,
        };

        var path = Path.Combine(folder.FullName, fileName);
        File.WriteAllText(path, notebook.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    // Jupyter stores source as lines that keep their "\n", except the last.
    private static IEnumerable<string> SplitLines(string source)
    {
        var lines = source.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            yield return i < lines.Length - 1 ? lines[i] + "\n" : lines[i];
        }
    }
}
