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

    public static void Write<TReport>(string chapter, TReport report, IReadOnlyDictionary<string, Figure> figures,
        IReadOnlyCollection<string> readmeFigures, ChapterSettings settings, Action<TReport> printSummary)
    {
        var folder = Path.GetFullPath(Path.Combine(settings.Output, chapter));
        Directory.CreateDirectory(folder);
        foreach (var (name, figure) in figures)
            figure.SaveHtml(Path.Combine(folder, name + ".html"));
        var json = JsonSerializer.Serialize(report, Json);
        File.WriteAllText(Path.Combine(folder, "report.json"), json);
        Log.MarkupLineInterpolated($"[grey]{chapter}: {figures.Count} charts and report.json written to {folder}[/]");

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

    public static IProgress<string> Progress(string chapter) =>
        new SynchronousProgress(line => Log.MarkupLineInterpolated($"[blue]{chapter}[/] {line}"));

    /// <summary>Reports on the calling thread, in order (Progress&lt;T&gt; posts to the thread pool and may reorder lines).</summary>
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
