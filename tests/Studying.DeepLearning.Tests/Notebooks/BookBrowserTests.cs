using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Studying.DeepLearning.Notebooks;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.Tests.Plotting;
using Xunit.Abstractions;

namespace Studying.DeepLearning.Tests.Notebooks;

/// <summary>
/// The course site (<c>studydl book</c>) built from the repository's executed notebooks and opened from the file
/// system in headless Chromium: charts drawn by the shared plotly.js, math typeset by the local KaTeX, code
/// highlighted, and no console error — with a control page that has an error, so the console check can fail.
/// </summary>
[Trait("Tier", "notebook")]
public sealed partial class BookBrowserTests(ITestOutputHelper output) : IDisposable
{
    private static readonly DirectoryInfo s_root = NotebookRunner.FindRepositoryRoot();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("book-tests-");

    /// <summary>Deletes the temporary site.</summary>
    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>A notebook page with stored charts renders every chart, its math and highlighted code, offline.</summary>
    [ChromiumFact]
    public void NotebookPage_DrawsChartsTypesetsMath_WithoutConsoleErrors()
    {
        var notebook = Directory.GetFiles(Path.Combine(s_root.FullName, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal)
            .FirstOrDefault(p => ChartOutputs(p) > 0);
        Assert.True(notebook is not null, "No notebook under notebooks/ has stored chart outputs; run `studydl notebooks execute` first.");
        var charts = ChartOutputs(notebook);

        var warnings = new List<string>();
        var site = new BookBuilder(s_root.FullName, Path.Combine(_folder.FullName, "site"), warnings.Add).Build();
        Assert.True(site.MathTypeset, "KaTeX is missing (apt-get install -y libjs-katex): " + string.Join(" ", warnings));
        var page = site.Pages.Single(p => p.Source == Path.GetFullPath(notebook));
        Assert.True(File.Exists(Path.Combine(site.Output, "assets", "plotly.min.js")));

        var (dom, console) = Open(Path.Combine(site.Output, page.FileName));
        output.WriteLine($"{page.FileName}: {charts} chart(s), DOM {dom.Length} chars; console lines:\n{string.Join("\n", console)}");

        Assert.DoesNotContain(console, IsError);
        // Each chart's plot area: Plotly draws one .main-svg pair per chart; count the chart containers drawn.
        Assert.Equal(charts, PlotContainer().Count(dom));
        Assert.Contains("class=\"katex\"", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"studydl-static-", dom, StringComparison.Ordinal); // the static pictures gave way to charts
        Assert.Matches("<span class=\"(keyword|string|comment)\"", dom);
        Assert.Contains("href=\"index.html\"", dom, StringComparison.Ordinal);
    }

    /// <summary>The console check sees an error: a page whose script throws is reported.</summary>
    [ChromiumFact]
    public void ConsoleCheck_SeesAnUncaughtError()
    {
        var path = Path.Combine(_folder.FullName, "control.html");
        File.WriteAllText(path, "<!DOCTYPE html><html><body><p>control</p><script>undefinedFunction();</script></body></html>");
        var (dom, console) = Open(path);
        Assert.Contains("control", dom, StringComparison.Ordinal);
        Assert.Contains(console, IsError);
    }

    private static bool IsError(string line) =>
        line.Contains("CONSOLE", StringComparison.Ordinal) &&
        (line.Contains("Uncaught", StringComparison.Ordinal) || line.Contains("Error", StringComparison.Ordinal) || line.Contains("ERROR", StringComparison.Ordinal));

    private static int ChartOutputs(string notebook) =>
        NotebookFile.Read(notebook)["cells"]!.AsArray().OfType<JsonObject>()
            .SelectMany(c => c["outputs"] as JsonArray ?? [])
            .Count(o => o?["data"]?["text/html"] is { } html && PlotlyHtml.IsFigure(NotebookFile.MultilineText(html)));

    private (string Dom, IReadOnlyList<string> Console) Open(string path)
    {
        var page = HeadlessPage.Open(path, _folder.FullName, virtualTimeMilliseconds: 15_000);
        return (page.Dom, page.ConsoleMessages);
    }

    [GeneratedRegex("<div class=\"plot-container plotly\">")]
    private static partial Regex PlotContainer();
}
