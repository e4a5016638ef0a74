using System.Text;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Tests.Plotting;

/// <summary>Figure.SaveHtml(path, sharedPlotlyJs): one plotly.js for a folder of charts, each page small.</summary>
[Trait("Tier", "unit")]
public sealed class SharedPlotlyScriptTests : IDisposable
{
    private readonly TempFolder _root = new();

    private static Figure Chart(string title) =>
        new Figure(title, Trace.Line("train", [1, 2, 3], [0.9, 0.5, 0.25])).WithAxisTitles("epoch", "loss");

    [Fact]
    public void SaveHtml_Shared_WritesTheScriptOnce_ReferencedRelatively_AndSmallPages()
    {
        var script = _root.File("plotly.min.js");
        Chart("one").SaveHtml(Path.Combine(_root.Path, "gd", "one.html"), script);
        var written = File.GetLastWriteTimeUtc(script);
        Chart("two").SaveHtml(Path.Combine(_root.Path, "basics", "two.html"), script);
        Chart("top").SaveHtml(_root.File("top.html"), script);

        Assert.Equal([script], Directory.GetFiles(_root.Path, "*.js", SearchOption.AllDirectories));
        Assert.Equal(written, File.GetLastWriteTimeUtc(script)); // not rewritten when already right
        foreach (var (page, src) in new[] { ("gd/one.html", "../plotly.min.js"), ("basics/two.html", "../plotly.min.js"), ("top.html", "plotly.min.js") })
        {
            var html = File.ReadAllText(_root.File(page));
            Assert.Contains($"<script src=\"{src}\"", html, StringComparison.Ordinal);
            Assert.Contains("Plotly.newPlot", html, StringComparison.Ordinal);
            Assert.True(new FileInfo(_root.File(page)).Length < 100_000, $"{page} is {new FileInfo(_root.File(page)).Length} bytes");
        }
    }

    [Fact]
    public void SharedScript_IsExactlyThePlotlyJsTheSelfContainedPageInlines()
    {
        var script = _root.File("plotly.min.js");
        Chart("shared").SaveHtml(_root.File("shared.html"), script);
        Chart("alone").SaveHtml(_root.File("alone.html"));

        var shared = File.ReadAllBytes(script);
        var selfContained = File.ReadAllText(_root.File("alone.html"));
        Assert.True(shared.Length > 3_000_000, $"plotly.js is {shared.Length} bytes");
        Assert.Contains(Encoding.UTF8.GetString(shared), selfContained, StringComparison.Ordinal);
        Assert.True(new FileInfo(_root.File("alone.html")).Length > shared.Length, "the library's single-file page still inlines plotly.js");
        Assert.Equal(shared, PlotlyScriptFile.Bytes.ToArray());
    }

    [Fact]
    public void Save_DamagedScript_IsRewritten()
    {
        var script = _root.File("plotly.min.js");
        File.WriteAllText(script, "truncated");

        Assert.True(PlotlyScriptFile.Save(script));
        Assert.Equal(PlotlyScriptFile.Bytes.ToArray(), File.ReadAllBytes(script));
        Assert.False(PlotlyScriptFile.Save(script));
    }

    [Fact]
    public void RelativeUrl_EscapesEachSegment()
    {
        var from = Path.Combine(_root.Path, "a b", "c");
        Assert.Equal("../../x%20%26%20%22y%22/plotly.min.js", PlotlyScriptFile.RelativeUrl(from, Path.Combine(_root.Path, "x & \"y\"", "plotly.min.js")));
    }

    public void Dispose() => _root.Dispose();
}
