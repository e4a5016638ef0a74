using System.Text.Json;

namespace Studying.DeepLearning.Plotting;

/// <summary>
/// A landing page (<c>index.html</c>) for a folder of chart sub-folders: each sub-folder leaves a
/// <c>summary.json</c> (<see cref="WriteSummary"/>) and <see cref="Write"/> rebuilds the page from every summary
/// present, so a run of one section still leaves a correct page for all.
/// </summary>
public static class ChartIndex
{
    /// <summary>The summary each section folder holds.</summary>
    public const string SummaryFileName = "summary.json";

    /// <summary>The landing page at the root.</summary>
    public const string IndexFileName = "index.html";

    // The default encoder escapes <, >, & and quotes as \u003C …: the file stays inert wherever it is pasted.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes <c>root/Folder/summary.json</c> for <paramref name="section"/>, stamped with the time.</summary>
    /// <param name="root">The output root (the folder that holds <c>index.html</c>).</param>
    /// <param name="section">The section; its folder and chart file names must be plain file names.</param>
    /// <returns>The summary's path.</returns>
    /// <exception cref="ArgumentException">A folder or chart file name is not one plain path segment.</exception>
    public static string WriteSummary(string root, ChartIndexSection section)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentNullException.ThrowIfNull(section);
        if (!IsPlainName(section.Folder))
            throw new ArgumentException($"Section folder '{section.Folder}' must be one plain folder name (no separators, not '.' or '..').", nameof(section));
        if (section.Charts.FirstOrDefault(c => !IsPlainName(c.File)) is { } bad)
            throw new ArgumentException($"Chart file '{bad.File}' of section '{section.Folder}' must be a plain file name in that folder.", nameof(section));

        var path = Path.Combine(Path.GetFullPath(root), section.Folder, SummaryFileName);
        var json = JsonSerializer.Serialize(section with { WrittenAt = DateTimeOffset.UtcNow }, Json);
        AtomicFile.Write(path, temporary => File.WriteAllText(temporary, json));
        return path;
    }

    /// <summary>Reads every <c>root/*/summary.json</c>; one that cannot be read becomes a problem line, not an exception.</summary>
    /// <param name="root">The output root.</param>
    public static ChartIndexContents Read(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var full = Path.GetFullPath(root);
        List<ChartIndexSection> sections = [];
        List<string> problems = [];
        if (!Directory.Exists(full))
            return new ChartIndexContents(sections, problems);

        foreach (var folder in Directory.EnumerateDirectories(full).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            var summary = Path.Combine(folder, SummaryFileName);
            if (!File.Exists(summary))
                continue;
            try
            {
                var section = JsonSerializer.Deserialize<ChartIndexSection>(File.ReadAllText(summary), Json);
                if (section is null || string.IsNullOrWhiteSpace(section.Title))
                {
                    problems.Add($"{name}/{SummaryFileName}: holds no section title; re-run the command that wrote '{name}' or delete the file.");
                    continue;
                }

                var charts = section.Charts ?? [];
                var numbers = (section.Numbers ?? []).Where(n => n is { Label: not null, Value: not null }).ToList();
                foreach (var chart in charts.Where(c => c is null || !IsPlainName(c.File)))
                    problems.Add($"{name}/{SummaryFileName}: chart '{chart?.File}' is not a plain file name in '{name}'; it is not linked.");
                sections.Add(section with
                {
                    Folder = name, // where it actually is, even if the folder was renamed
                    Numbers = numbers,
                    Charts = [.. charts.Where(c => c is not null && IsPlainName(c.File)).Select(c => c with { Title = c.Title ?? c.File })],
                });
            }
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
            {
                problems.Add($"{name}/{SummaryFileName}: could not be read ({ex.Message}); re-run the command that wrote '{name}' or delete the file.");
            }
        }

        return new ChartIndexContents(
            [.. sections.OrderBy(s => s.Order).ThenBy(s => s.Folder, StringComparer.Ordinal)],
            problems);
    }

    /// <summary>Rebuilds <c>root/index.html</c> from the summaries present (<see cref="Read"/>).</summary>
    /// <param name="root">The output root.</param>
    /// <param name="title">The page's heading.</param>
    /// <returns>The page's path and what it was built from (with any problems, also shown on the page).</returns>
    public static ChartIndexResult Write(string root, string title)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        var full = Path.GetFullPath(root);
        var contents = Read(full);
        var html = ChartIndexPage.Render(title, contents, (folder, file) => File.Exists(Path.Combine(full, folder, file)),
            File.Exists(Path.Combine(full, PlotlyScriptFile.DefaultFileName)));
        var path = Path.Combine(full, IndexFileName);
        AtomicFile.Write(path, temporary => File.WriteAllText(temporary, html));
        return new ChartIndexResult(path, contents);
    }

    /// <summary>One path segment: not empty, no separator or invalid character, not '.' or '..'.</summary>
    internal static bool IsPlainName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name is not "." and not ".."
        && name.IndexOfAny(['/', '\\']) < 0 && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0;
}

/// <summary>What an index page is built from.</summary>
/// <param name="Sections">The readable sections, in display order.</param>
/// <param name="Problems">One line per summary that could not be used (file, what was wrong, what to do).</param>
public sealed record ChartIndexContents(IReadOnlyList<ChartIndexSection> Sections, IReadOnlyList<string> Problems);

/// <summary>The result of <see cref="ChartIndex.Write"/>.</summary>
/// <param name="Path">The written <c>index.html</c>.</param>
/// <param name="Contents">The sections and problems it shows.</param>
public sealed record ChartIndexResult(string Path, ChartIndexContents Contents);
