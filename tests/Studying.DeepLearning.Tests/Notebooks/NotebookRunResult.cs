using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Tests.Notebooks;

/// <summary>How the execution of one notebook cell ended.</summary>
public enum CellStatus
{
    /// <summary>The kernel reported CommandSucceeded.</summary>
    Succeeded,
    /// <summary>The kernel reported CommandFailed (exception, compile error, failed directive...).</summary>
    Failed,
    /// <summary>The cell did not finish within the per-cell timeout; the kernel was killed.</summary>
    TimedOut,
    /// <summary>The kernel process exited while the cell was running.</summary>
    KernelExited,
    /// <summary>The cell was not run because an earlier cell failed.</summary>
    NotRun,
}

/// <summary>What kind of event produced a <see cref="CellOutput"/>.</summary>
public enum CellOutputKind
{
    /// <summary>Console.Out / printfn text.</summary>
    StandardOutput,
    /// <summary>Console.Error text.</summary>
    StandardError,
    /// <summary>display(...), DisplayAs(...) and updates of displayed values.</summary>
    Display,
    /// <summary>The value of the cell's last expression.</summary>
    ReturnValue,
    /// <summary>An error the kernel displayed (ErrorProduced), or the failure message.</summary>
    Error,
}

/// <summary>One formatted representation of a value: a mime type and its text.</summary>
/// <param name="MimeType">e.g. text/plain, text/html.</param>
/// <param name="Value">The formatted value.</param>
public sealed record CellDisplay(string MimeType, string Value);

/// <summary>One output event of a cell, in the order the kernel produced it.</summary>
/// <param name="Kind">Which kind of event it was.</param>
/// <param name="Values">The formatted values the event carried (one per mime type).</param>
public sealed record CellOutput(CellOutputKind Kind, IReadOnlyList<CellDisplay> Values);

/// <summary>The result of running one notebook cell (markdown cells are listed too, as <see cref="IsCode"/> = false).</summary>
public sealed record CellResult
{
    /// <summary>1-based position of the cell in the notebook, counting markdown cells (as an editor shows them).</summary>
    public required int Number { get; init; }

    /// <summary>The kernel the cell was submitted to (csharp, fsharp, pwsh...), or "markdown".</summary>
    public required string KernelName { get; init; }

    /// <summary>The cell's source.</summary>
    public required string Source { get; init; }

    /// <summary>The cell's Jupyter tags (metadata.tags).</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>False for markdown cells, which are not run.</summary>
    public bool IsCode => !string.Equals(KernelName, "markdown", StringComparison.OrdinalIgnoreCase);

    /// <summary>How the execution ended (<see cref="CellStatus.Succeeded"/> for markdown cells).</summary>
    public CellStatus Status { get; init; }

    /// <summary>The kernel's error message when the cell did not succeed.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Every output event, in order.</summary>
    public IReadOnlyList<CellOutput> Outputs { get; init; } = [];

    /// <summary>How long the cell took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>All text the cell wrote to standard output.</summary>
    public string StandardOutput => JoinText(CellOutputKind.StandardOutput);

    /// <summary>All text the cell wrote to standard error.</summary>
    public string StandardError => JoinText(CellOutputKind.StandardError);

    /// <summary>Every formatted value of displays and return values (one entry per mime type).</summary>
    public IReadOnlyList<CellDisplay> Displays =>
        [.. Outputs.Where(o => o.Kind is CellOutputKind.Display or CellOutputKind.ReturnValue).SelectMany(o => o.Values)];

    /// <summary>True when the cell is tagged <c>chart</c> and so must display a Plotly figure.</summary>
    public bool RequiresChart => Tags.Contains(NotebookRunner.ChartTag, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when a text/html display of the cell contains a Plotly figure.</summary>
    public bool HasPlotlyChart => Displays.Any(d => d.MimeType == "text/html" && PlotlyHtml.IsFigure(d.Value));

    /// <summary>True when the cell ran, is tagged <c>chart</c>, and displayed no Plotly figure.</summary>
    public bool IsMissingChart => IsCode && Status == CellStatus.Succeeded && RequiresChart && !HasPlotlyChart;

    /// <summary>True when the cell makes the notebook fail: it did not succeed, or it is missing its chart.</summary>
    public bool IsProblem => IsCode && (Status is CellStatus.Failed or CellStatus.TimedOut or CellStatus.KernelExited || IsMissingChart);

    private string JoinText(CellOutputKind kind) =>
        string.Concat(Outputs.Where(o => o.Kind == kind).Select(o => (o.Values.Count > 0 ? o.Values[0].Value : "")));
}

/// <summary>The result of running a whole notebook through one kernel process.</summary>
public sealed record NotebookRunResult
{
    /// <summary>The notebook file that was run.</summary>
    public required string NotebookPath { get; init; }

    /// <summary>Every cell, in notebook order.</summary>
    public required IReadOnlyList<CellResult> Cells { get; init; }

    /// <summary>The id of the kernel process (killed, with its children, when the run ends).</summary>
    public int KernelProcessId { get; init; }

    /// <summary>From process start to the kernel's KernelReady event.</summary>
    public TimeSpan KernelStartDuration { get; init; }

    /// <summary>From process start to the end of the last cell.</summary>
    public TimeSpan TotalDuration { get; init; }

    /// <summary>Everything the kernel process wrote to its standard error (diagnostics; normally empty).</summary>
    public string KernelStandardError { get; init; } = "";

    /// <summary>Where the executed notebook with its outputs was written, if it was.</summary>
    public string? ExecutedNotebookPath { get; init; }

    /// <summary>The cells that make the notebook fail.</summary>
    public IReadOnlyList<CellResult> Problems => [.. Cells.Where(c => c.IsProblem)];

    /// <summary>True when every code cell succeeded and every chart cell displayed a Plotly figure.</summary>
    public bool Succeeded => Problems.Count == 0;

    /// <summary>A report for a failing test: the notebook, each problem cell's number, first source lines, and the kernel's error.</summary>
    public string Describe()
    {
        var problems = Problems;
        var text = new StringBuilder();
        var name = Path.GetFileName(NotebookPath);
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"Notebook {name} ({NotebookPath}): {(problems.Count == 0 ? "all cells succeeded" : $"{problems.Count} problem cell(s)")}.");

        foreach (var cell in problems)
        {
            var what = cell.IsMissingChart
                ? $"is tagged \"{NotebookRunner.ChartTag}\" but displayed no Plotly figure (text/html with a <div id=...> and Plotly.newPlot); displays: {DescribeDisplays(cell)}"
                : $"{cell.Status}: {cell.ErrorMessage}";
            text.AppendLine(inv, $"{name} cell {cell.Number} [{cell.KernelName}] {what}");
            foreach (var line in FirstLines(cell.Source, 4))
            {
                text.AppendLine(inv, $"    | {line}");
            }

            AppendTail(text, "    stdout", cell.StandardOutput);
            AppendTail(text, "    stderr", cell.StandardError);
        }

        var notRun = Cells.Count(c => c.Status == CellStatus.NotRun);
        if (notRun > 0)
        {
            text.AppendLine(inv, $"{notRun} later cell(s) not run.");
        }

        if (problems.Count > 0)
        {
            AppendTail(text, "Kernel stderr", KernelStandardError);
        }

        return text.ToString();
    }

    /// <summary>Kernel start, total, and per-cell durations, one line each.</summary>
    public string Timings()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"{Path.GetFileName(NotebookPath)}: kernel start {KernelStartDuration.TotalSeconds:F1} s, total {TotalDuration.TotalSeconds:F1} s");
        foreach (var cell in Cells.Where(c => c.IsCode))
        {
            text.AppendLine(inv, $"  cell {cell.Number} [{cell.KernelName}] {cell.Status} {cell.Duration.TotalSeconds:F1} s");
        }

        return text.ToString();
    }

    private static string DescribeDisplays(CellResult cell) =>
        cell.Displays.Count == 0
            ? "none"
            : string.Join(", ", cell.Displays.Select(d => $"{d.MimeType} ({d.Value.Length} chars)"));

    private static IEnumerable<string> FirstLines(string source, int count)
    {
        var lines = source.ReplaceLineEndings("\n").Split('\n');
        foreach (var line in lines.Take(count))
        {
            yield return line;
        }

        if (lines.Length > count)
        {
            yield return $"... ({lines.Length - count} more line(s))";
        }
    }

    private static void AppendTail(StringBuilder text, string label, string content, int lines = 20)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return;
        }

        var all = content.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        text.AppendLine(CultureInfo.InvariantCulture, $"{label}{(all.Length > lines ? $" (last {lines} of {all.Length} lines)" : "")}:");
        foreach (var line in all.TakeLast(lines))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"      {line}");
        }
    }
}

/// <summary>Recognizes the HTML a Plotly figure renders to in a notebook.</summary>
public static partial class PlotlyHtml
{
    /// <summary>True when the HTML has an element with an id (the plot's target div) and a Plotly.newPlot / Plotly.react call.</summary>
    /// <param name="html">A text/html display value.</param>
    public static bool IsFigure(string html) =>
        DivWithId().IsMatch(html) &&
        (html.Contains("Plotly.newPlot", StringComparison.Ordinal) || html.Contains("Plotly.react", StringComparison.Ordinal));

    [GeneratedRegex(@"<div\b[^>]*\bid\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex DivWithId();
}
