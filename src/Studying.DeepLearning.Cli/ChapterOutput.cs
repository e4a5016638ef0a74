using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Cli;

/// <summary>Writes a chapter's results: charts as HTML (and PNG on request), the report as JSON, a summary on the console.</summary>
internal static class ChapterOutput
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // Keep "×", "²" and "+" readable in the report; it is data for people and programs, never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Progress and notes go to stderr so that stdout carries only the JSON when --json is given.</summary>
    public static IAnsiConsole Log { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>The heading of <c>out/index.html</c>.</summary>
    public const string IndexTitle = "Studying.DeepLearning — results";

    public static void Write<TReport>(ChapterPage page, TReport report, IReadOnlyDictionary<string, Figure> figures,
        IReadOnlyCollection<string> readmeFigures, ChapterSettings settings, Action<TReport> printSummary,
        Func<TReport, IReadOnlyList<HeadlineNumber>> headlines)
    {
        var chapter = page.Folder;
        var root = Path.GetFullPath(settings.Output);
        var folder = Path.Combine(root, chapter);
        Directory.CreateDirectory(folder);
        // One plotly.js at the root for every chart under it, instead of 3.6 MB inlined into each page.
        var script = Path.Combine(root, PlotlyScriptFile.DefaultFileName);
        foreach (var (name, figure) in figures)
            figure.SaveHtml(Path.Combine(folder, name + ".html"), script);
        var json = JsonSerializer.Serialize(report, Json);
        File.WriteAllText(Path.Combine(folder, "report.json"), json);
        Log.MarkupLineInterpolated($"[grey]{chapter}: {figures.Count} charts and report.json written to {folder}[/]");

        ChartIndex.WriteSummary(root, new ChartIndexSection(chapter, page.Title)
        {
            Order = page.Order,
            Description = page.Description,
            Numbers = headlines(report),
            Charts = [.. figures.Select(f => new ChartLink(f.Key + ".html", string.IsNullOrWhiteSpace(f.Value.Title) ? f.Key : f.Value.Title))],
        });
        var index = ChartIndex.Write(root, IndexTitle);
        foreach (var problem in index.Contents.Problems)
            Log.MarkupLineInterpolated($"[yellow]index: {problem}[/]");
        Log.MarkupLineInterpolated($"[grey]index: {index.Contents.Sections.Count} sections in {index.Path}[/]");

        if (settings.Images is { } images)
        {
            foreach (var name in readmeFigures)
            {
                var path = Path.GetFullPath(Path.Combine(images, name + ".png"));
                figures[name].SavePng(path, 900, 560);
                Log.MarkupLineInterpolated($"[grey]{chapter}: wrote {path}[/]");
            }
        }

        if (settings.Json)
            Console.Out.WriteLine(json);
        else
            printSummary(report);
    }

    /// <summary>A chapter's place on the index page.</summary>
    /// <param name="Folder">The output sub-folder (also the command name).</param>
    /// <param name="Order">Position on the page.</param>
    /// <param name="Title">The section heading.</param>
    /// <param name="Description">The sentence under it (the command that writes it).</param>
    public sealed record ChapterPage(string Folder, int Order, string Title, string Description);

    public static IProgress<string> Progress(string chapter) =>
        new SynchronousProgress(line => Log.MarkupLineInterpolated($"[blue]{chapter}[/] {line}"));

    /// <summary>Reports on the calling thread, in order (Progress&lt;T&gt; posts to the thread pool and may reorder lines).</summary>
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
