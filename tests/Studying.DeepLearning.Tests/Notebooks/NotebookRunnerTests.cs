using System.Diagnostics;
using Studying.DeepLearning.Notebooks;
using Xunit.Abstractions;

namespace Studying.DeepLearning.Tests.Notebooks;

/// <summary>
/// The runner against a real kernel process, on small notebooks written to a temporary folder.
/// Three kernel starts in all: a clean notebook, a failing one, a hanging one.
/// </summary>
[Collection(NotebookKernels.Name)]
[Trait("Tier", "notebook")]
public sealed class NotebookRunnerTests(ITestOutputHelper output) : IDisposable
{
    private const string PlotlyHtmlCell =
        "using Microsoft.DotNet.Interactive.Formatting;\n" +
        "\"<div id=\\\"x\\\"></div><script>Plotly.newPlot('x',[])</script>\".DisplayAs(\"text/html\");";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("nbrunner-tests-");

    /// <summary>Deletes the temporary notebooks.</summary>
    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>
    /// One session per notebook (cell 2 sees cell 1's variable), stdout and displays are collected, cells go to
    /// the kernel their metadata names, the kernel's working directory is the notebook's folder, a chart cell
    /// with a Plotly div is accepted and one without is reported, and the process is gone afterwards.
    /// </summary>
    [Fact]
    public async Task CleanNotebook_SharesOneSession_AndChecksChartCells()
    {
        var path = TestNotebook.Write(_folder, "clean.ipynb",
            new TestCell("markdown", "# Title"),
            new TestCell("csharp", "var x = 41;"),
            new TestCell("csharp", "Console.WriteLine(\"x+1=\" + (x + 1));\nx * 2"),
            new TestCell("csharp", "\"no chart here\"", NotebookRunner.ChartTag),
            new TestCell("csharp", PlotlyHtmlCell, NotebookRunner.ChartTag),
            new TestCell("fsharp", "printfn \"from F# %d\" (40 + 2)"),
            new TestCell("csharp", "System.IO.Directory.GetCurrentDirectory()"));
        var output = _folder.CreateSubdirectory("out");

        var result = await new NotebookRunner(new NotebookRunnerOptions { OutputDirectory = output }).RunAsync(path);
        Log(result);

        var cells = result.Cells;
        Assert.Equal(7, cells.Count);
        Assert.False(cells[0].IsCode);
        Assert.All(cells.Skip(1), c => Assert.Equal(CellStatus.Succeeded, c.Status));
        Assert.Equal("x+1=42\n", cells[2].StandardOutput.ReplaceLineEndings("\n"));
        // The kernel formats return values as text/html only (no text/plain) unless asked otherwise.
        Assert.Contains(cells[2].Displays, d => d.MimeType == "text/html" && d.Value.Contains("<pre>82</pre>", StringComparison.Ordinal));

        Assert.True(cells[3].IsMissingChart);
        Assert.True(cells[4].HasPlotlyChart);
        Assert.False(cells[4].IsProblem);
        Assert.Equal("fsharp", cells[5].KernelName);
        Assert.Contains("from F# 42", cells[5].StandardOutput, StringComparison.Ordinal);
        Assert.Contains(cells[6].Displays, d => d.MimeType == "text/plain" && d.Value == _folder.FullName);

        // The only problem is the chart cell without a chart, named in the report.
        Assert.False(result.Succeeded);
        Assert.Equal([4], result.Problems.Select(c => c.Number));
        var report = result.Describe();
        Assert.Contains("clean.ipynb cell 4 [csharp] is tagged \"chart\" but displayed no Plotly figure", report, StringComparison.Ordinal);
        Assert.Contains("| \"no chart here\"", report, StringComparison.Ordinal);

        AssertProcessGone(result.KernelProcessId);
        var saved = NotebookRunner.ReadNotebook(result.ExecutedNotebookPath!);
        Assert.Equal(7, saved.Elements.Count);
        Assert.NotEmpty(saved.Elements[4].Outputs);
        Assert.Empty(NotebookRunner.ReadNotebook(path).Elements[4].Outputs);
    }

    /// <summary>An exception and a compile error are failures with the kernel's message; the session survives them.</summary>
    [Fact]
    public async Task FailingCells_AreReportedWithTheKernelsError()
    {
        var path = TestNotebook.Write(_folder, "failing.ipynb",
            new TestCell("csharp", "// throws\nthrow new InvalidOperationException(\"boom from the cell\");"),
            new TestCell("csharp", "int y = \"not an int\";"),
            new TestCell("csharp", "1 + 1"));

        var result = await new NotebookRunner(new NotebookRunnerOptions { StopAtFirstFailure = false }).RunAsync(path);
        Log(result);

        Assert.Equal(CellStatus.Failed, result.Cells[0].Status);
        Assert.Contains("boom from the cell", result.Cells[0].ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(CellStatus.Failed, result.Cells[1].Status);
        Assert.Contains("CS0029", result.Cells[1].ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(CellStatus.Succeeded, result.Cells[2].Status);
        Assert.Equal([1, 2], result.Problems.Select(c => c.Number));

        var report = result.Describe();
        Assert.Contains("failing.ipynb cell 1 [csharp] Failed:", report, StringComparison.Ordinal);
        Assert.Contains("| // throws", report, StringComparison.Ordinal);
        Assert.Contains("boom from the cell", report, StringComparison.Ordinal);
        Assert.Contains("failing.ipynb cell 2 [csharp] Failed:", report, StringComparison.Ordinal);
        AssertProcessGone(result.KernelProcessId);
    }

    /// <summary>A cell past its timeout is reported, later cells are not run, and the kernel is killed.</summary>
    [Fact]
    public async Task HangingCell_TimesOut_AndLaterCellsAreNotRun()
    {
        var path = TestNotebook.Write(_folder, "hanging.ipynb",
            new TestCell("csharp", "await Task.Delay(TimeSpan.FromMinutes(5));"),
            new TestCell("csharp", "1"));

        var stopwatch = Stopwatch.StartNew();
        var result = await new NotebookRunner(new NotebookRunnerOptions { CellTimeout = TimeSpan.FromSeconds(5) }).RunAsync(path);
        Log(result);

        Assert.Equal(CellStatus.TimedOut, result.Cells[0].Status);
        Assert.Equal(CellStatus.NotRun, result.Cells[1].Status);
        Assert.Contains("hanging.ipynb cell 1 [csharp] TimedOut", result.Describe(), StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromMinutes(2), $"took {stopwatch.Elapsed}");
        AssertProcessGone(result.KernelProcessId);
    }

    private void Log(NotebookRunResult result)
    {
        output.WriteLine(result.Timings());
        output.WriteLine(result.Describe());
    }

    private static void AssertProcessGone(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            Assert.True(process.HasExited, $"kernel process {processId} is still running");
        }
        catch (ArgumentException)
        {
            // No such process: gone.
        }
    }
}
