using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Studying.DeepLearning.Notebooks;

/// <summary>
/// An .ipynb file as JSON (nbformat 4), read and written the way Jupyter writes it: keys sorted, one-space indent,
/// non-ASCII kept as is, a trailing newline — so that a file written back differs from its original only where
/// its outputs changed. Also: the hash that ties each stored output to the source of the cell that made it.
/// </summary>
public static partial class NotebookFile
{
    /// <summary>The metadata key (cell and output metadata) under which the tooling records its data.</summary>
    public const string MetadataKey = "studydl";

    /// <summary>The key, under <see cref="MetadataKey"/>, of the SHA-256 of the cell source.</summary>
    public const string SourceHashKey = "source_sha256";

    /// <summary>Parses a notebook; a file that is not a JSON object with a "cells" array is reported with its path.</summary>
    /// <param name="path">The .ipynb file.</param>
    /// <exception cref="InvalidDataException">The file is not an nbformat 4 notebook.</exception>
    public static JsonObject Read(string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({ex.Message}); fix or restore the file.", ex);
        }

        return node is JsonObject notebook && notebook["cells"] is JsonArray
            ? notebook
            : throw new InvalidDataException($"{path}: not an nbformat 4 notebook (no \"cells\" array).");
    }

    /// <summary>A cell's source as one string (nbformat stores it as a string or as a list of lines).</summary>
    /// <param name="cell">A cell object.</param>
    public static string Source(JsonObject cell) => MultilineText(cell["source"]);

    /// <summary>nbformat's multiline string (a string, or a list of strings to concatenate) as one string.</summary>
    /// <param name="node">A string or an array of strings, or null.</param>
    public static string MultilineText(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => "",
    };

    /// <summary>Lowercase hex SHA-256 of the UTF-8 bytes of a cell source exactly as saved.</summary>
    /// <param name="source">The cell source (<see cref="Source"/>).</param>
    public static string SourceHash(string source) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)));

    /// <summary>The source hash recorded in a cell's or an output's metadata, or null.</summary>
    /// <param name="owner">A cell or output object.</param>
    public static string? RecordedHash(JsonObject owner) =>
        owner["metadata"]?[MetadataKey]?[SourceHashKey] is JsonValue value && value.TryGetValue<string>(out var hash) ? hash : null;

    /// <summary>True for a code cell.</summary>
    /// <param name="cell">A cell object.</param>
    public static bool IsCode(JsonObject cell) => (string?)cell["cell_type"] == "code";

    /// <summary>The cell's Jupyter tags (metadata.tags).</summary>
    /// <param name="cell">A cell object.</param>
    public static IReadOnlyList<string> Tags(JsonObject cell) =>
        cell["metadata"]?["tags"] is JsonArray tags ? [.. tags.Select(t => t?.GetValue<string>() ?? "")] : [];

    /// <summary>
    /// Serialises a notebook as Jupyter's nbformat does (<c>json.dumps(nb, sort_keys=True, indent=1,
    /// ensure_ascii=False)</c> plus a trailing newline).
    /// </summary>
    /// <param name="notebook">The notebook JSON.</param>
    public static string Serialize(JsonNode notebook)
    {
        var text = new StringBuilder();
        Write(text, notebook, 0);
        return text.Append('\n').ToString();
    }

    /// <summary>Writes the text to <paramref name="path"/> through a temporary file in the same folder, then a rename.</summary>
    /// <param name="path">The file to replace.</param>
    /// <param name="text">Its new content (UTF-8, no BOM).</param>
    public static void WriteAtomically(string path, string text)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(temporary, text, new UTF8Encoding(false));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Splits text into nbformat's list of lines (each keeps its "\n", except the last).</summary>
    /// <param name="text">Any text.</param>
    public static JsonArray Lines(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }

    /// <summary>Removes ANSI escape sequences (terminal colours) from kernel text.</summary>
    /// <param name="text">Kernel output.</param>
    public static string StripAnsi(string text) => Ansi().Replace(text, "");

    /// <summary>
    /// Text without this machine's folders: the user's home becomes <c>~/</c> and the temporary folder <c>$TMPDIR/</c>,
    /// so stored outputs read the same on every machine and never show who ran them.
    /// </summary>
    /// <param name="text">Output text.</param>
    public static string Portable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (home.Length > 1)
            text = text.Replace(home.TrimEnd('/') + "/", "~/", StringComparison.Ordinal);
        var temp = Path.GetTempPath();
        if (temp.Length > 1)
            text = text.Replace(temp.TrimEnd('/') + "/", "$TMPDIR/", StringComparison.Ordinal);
        return text;
    }

    [GeneratedRegex(@"\x1B(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")]
    private static partial Regex Ansi();

    private static void Write(StringBuilder text, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                if (obj.Count == 0)
                {
                    text.Append("{}");
                    break;
                }

                text.Append("{\n");
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        text.Append(",\n");
                    }

                    first = false;
                    text.Append(' ', depth + 1);
                    WriteString(text, key);
                    text.Append(": ");
                    Write(text, value, depth + 1);
                }

                text.Append('\n').Append(' ', depth).Append('}');
                break;
            case JsonArray array:
                if (array.Count == 0)
                {
                    text.Append("[]");
                    break;
                }

                text.Append("[\n");
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(",\n");
                    }

                    text.Append(' ', depth + 1);
                    Write(text, array[i], depth + 1);
                }

                text.Append('\n').Append(' ', depth).Append(']');
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        WriteString(text, value.GetValue<string>());
                        break;
                    case JsonValueKind.True:
                        text.Append("true");
                        break;
                    case JsonValueKind.False:
                        text.Append("false");
                        break;
                    case JsonValueKind.Null:
                        text.Append("null");
                        break;
                    default:
                        text.Append(value.ToJsonString());
                        break;
                }

                break;
        }
    }

    // Python's json string escaping with ensure_ascii=False: only '"', '\\' and control characters are escaped.
    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < ' ')
                    {
                        text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }
}
