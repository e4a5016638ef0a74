using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.Tests.Plotting;

namespace Studying.DeepLearning.Tests.Cli;

/// <summary>
/// <c>studydl gd --out DIR</c> as a user runs it, then DIR/index.html and a chart page opened in a real headless
/// Chromium from file://: the links resolve, the chart draws from the shared plotly.js, the console stays clean.
/// Skipped (never passed) where no Chromium is installed.
/// </summary>
[Trait("Tier", "cli")]
public sealed partial class IndexPageBrowserTests : IDisposable
{
    private readonly TempFolder _out = new();

    [ChromiumFact]
    public async Task GdOut_IndexAndChart_OpenInChromiumFromFiles_DrawnWithoutConsoleErrors()
    {
        var (exitCode, _, stderr) = await StudydlProcess.RunAsync("gd", "--out", _out.Path);
        Assert.True(exitCode == 0, stderr);

        // One shared plotly.js at the root; the chart pages only carry their data.
        var scripts = Directory.GetFiles(_out.Path, "*.js", SearchOption.AllDirectories);
        Assert.Equal([Path.Combine(_out.Path, PlotlyScriptFile.DefaultFileName)], scripts);
        var chart = Path.Combine(_out.Path, "gd", "GD.html");
        Assert.InRange(new FileInfo(chart).Length, 1_000, 100_000);
        Assert.True(new FileInfo(scripts[0]).Length > 3_000_000);

        // The index in the browser: every chart of the chapter linked, every link to an existing file.
        var index = Path.Combine(_out.Path, "index.html");
        var (indexDom, indexLog) = Open(index);
        Assert.Empty(ConsoleMessages(indexLog));
        var targets = HrefPattern().Matches(indexDom)
            .Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))
            .Where(href => !href.StartsWith('#'))
            .Select(href => new Uri(new Uri(index), href).LocalPath)
            .ToList();
        Assert.Equal(
            Directory.GetFiles(Path.Combine(_out.Path, "gd"), "*.html").Order(StringComparer.Ordinal),
            targets.Order(StringComparer.Ordinal));
        Assert.All(targets, target => Assert.True(File.Exists(target), target));
        Assert.Contains("1.99999999999985", indexDom, StringComparison.Ordinal); // chapter 1's fitted slope
        Assert.Contains("Gradient descent on J(a)", indexDom, StringComparison.Ordinal);

        // The chart page: plotly.js came from ../plotly.min.js and drew the plot.
        var (chartDom, chartLog) = Open(chart);
        Assert.Empty(ConsoleMessages(chartLog));
        Assert.Contains("class=\"main-svg\"", chartDom, StringComparison.Ordinal);

        // The control: the same page without the shared script beside it fails visibly, so the checks above can fail.
        var alone = Path.Combine(_out.Path, "alone", "nested", "GD.html");
        Directory.CreateDirectory(Path.GetDirectoryName(alone)!);
        File.Copy(chart, alone);
        var (aloneDom, aloneLog) = Open(alone);
        Assert.DoesNotContain("class=\"main-svg\"", aloneDom, StringComparison.Ordinal);
        Assert.Contains(ConsoleMessages(aloneLog), m => m.Contains("Plotly is not defined", StringComparison.Ordinal));
    }

    public void Dispose() => _out.Dispose();

    private (string Dom, string Log) Open(string page)
    {
        var opened = HeadlessPage.Open(page, _out.Path);
        return (opened.Dom, opened.Log);
    }

    private static IReadOnlyList<string> ConsoleMessages(string log) => new HeadlessPage("", log).ConsoleMessages;

    [GeneratedRegex("href=\"([^\"]*)\"")]
    private static partial Regex HrefPattern();
}
