using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Tests.Plotting;

/// <summary>Tests of chart rendering through the Plotly.NET load context (FigureRenderingTests).</summary>
[Trait("Tier", "unit")]
public sealed partial class FigureRenderingTests
{
    private static Figure LineFigure() =>
        new Figure("Loss per epoch", Trace.Line("train", [1, 2, 3], [0.9, 0.5, 0.25]))
            .Add(Trace.Markers("test", [1, 2, 3], [1.0, 0.6, 0.4]))
            .WithAxisTitles("epoch", "loss");

    /// <summary>To html: cdn: holds the trace data title and axis titles in aplotly div.</summary>
    [Fact]
    public void ToHtml_Cdn_HoldsTheTraceDataTitleAndAxisTitlesInAPlotlyDiv()
    {
        var html = LineFigure().ToHtml();

        var id = Regex.Match(html, "<div id=\"([0-9a-f-]{36})\"").Groups[1].Value;
        Assert.NotEmpty(id);
        Assert.Contains($"Plotly.newPlot('{id}', data, layout, config)", html, StringComparison.Ordinal);

        using var data = JsonDocument.Parse(ScriptVariable(html, "data"));
        var traces = data.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, traces.Count);
        Assert.Equal("train", traces[0].GetProperty("name").GetString());
        Assert.Equal("lines", traces[0].GetProperty("mode").GetString());
        Assert.Equal([1.0, 2, 3], traces[0].GetProperty("x").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal([0.9, 0.5, 0.25], traces[0].GetProperty("y").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal("markers", traces[1].GetProperty("mode").GetString());

        using var layout = JsonDocument.Parse(ScriptVariable(html, "layout"));
        Assert.Equal("Loss per epoch", layout.RootElement.GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("epoch", layout.RootElement.GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("loss", layout.RootElement.GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString());
        Assert.False(layout.RootElement.TryGetProperty("width", out _), "no width set: the chart follows its container");

        // plotly.js comes from the CDN, not inlined.
        Assert.Contains("https://cdn.plot.ly/plotly-", html, StringComparison.Ordinal);
        Assert.True(html.Length < 50_000, $"a CDN fragment should be small, was {html.Length} chars");
    }

    /// <summary>To html: inline: carries plotly js and no cdn script.</summary>
    [Fact]
    public void ToHtml_Inline_CarriesPlotlyJsAndNoCdnScript()
    {
        var html = LineFigure().ToHtml(PlotlyScript.Inline);

        Assert.Contains("plotly.js v", html, StringComparison.Ordinal);
        Assert.True(html.Length > 3_000_000, $"inlined plotly.js is ~3.6 MB, got {html.Length} chars");
        Assert.DoesNotContain("<script src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://cdn.plot.ly/plotly-", html, StringComparison.Ordinal);
        Assert.DoesNotContain("requirejs", html, StringComparison.Ordinal);
        Assert.True(
            html.IndexOf("plotly.js v", StringComparison.Ordinal) < html.IndexOf("Plotly.newPlot", StringComparison.Ordinal),
            "plotly.js must be defined before the chart script runs");
    }

    /// <summary>To html: log axis range and size: reach the layout.</summary>
    [Fact]
    public void ToHtml_LogAxisRangeAndSize_ReachTheLayout()
    {
        var figure = LineFigure() with
        {
            YAxis = new Axis("loss", Logarithmic: true, Range: (0.01, 10)),
            XAxis = new Axis("epoch", Range: (0, 4)),
            Width = 640,
            Height = 320,
        };

        using var layout = JsonDocument.Parse(ScriptVariable(figure.ToHtml(), "layout"));
        var y = layout.RootElement.GetProperty("yaxis");
        Assert.Equal("log", y.GetProperty("type").GetString());
        Assert.Equal([-2.0, 1.0], y.GetProperty("range").EnumerateArray().Select(e => Math.Round(e.GetDouble(), 9)));
        Assert.Equal([0.0, 4.0], layout.RootElement.GetProperty("xaxis").GetProperty("range").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(640, layout.RootElement.GetProperty("width").GetInt32());
        Assert.Equal(320, layout.RootElement.GetProperty("height").GetInt32());
    }

    /// <summary>To html: all trace kinds: and na nas gap.</summary>
    [Fact]
    public void ToHtml_AllTraceKinds_AndNaNAsGap()
    {
        var figure = new Figure(
            "All kinds",
            Trace.Line("gap", [1, 2, 3], [1, double.NaN, 3]),
            new ContourTrace("loss surface", [0, 1, 2], [0, 1], [[0, 1, 2], [3, 4, 5]]),
            new HeatmapTrace("confusion", ["cat", "dog"], ["cat", "dog"], [[5, 1], [2, double.NaN]]),
            new BarTrace("accuracy", ["a", "b"], [0.5, 0.75]));

        using var data = JsonDocument.Parse(ScriptVariable(figure.ToHtml(), "data"));
        var traces = data.RootElement.EnumerateArray().ToList();
        Assert.Equal(["scatter", "contour", "heatmap", "bar"], traces.Select(t => t.GetProperty("type").GetString()));
        Assert.Equal(JsonValueKind.Null, traces[0].GetProperty("y")[1].ValueKind);
        Assert.Equal(5, traces[1].GetProperty("z")[1][2].GetDouble());
        Assert.Equal("dog", traces[2].GetProperty("x")[1].GetString());
        Assert.Equal(JsonValueKind.Null, traces[2].GetProperty("z")[1][1].ValueKind);
        Assert.Equal("b", traces[3].GetProperty("x")[1].GetString());
        Assert.Equal(0.75, traces[3].GetProperty("y")[1].GetDouble());
    }

    [Fact]
    public void ToHtml_DashAndColour_ReachTheLine()
    {
        var figure = new Figure(
            "Styled",
            Trace.Line("train", [1, 2], [3, 4]) with { Color = "#d62728" },
            Trace.Line("test", [1, 2], [5, 6]) with { Color = "#d62728", Dash = LineDash.Dash },
            Trace.Markers("points", [1], [1]) with { Color = "#2ca02c" });

        using var data = JsonDocument.Parse(ScriptVariable(figure.ToHtml(), "data"));
        var traces = data.RootElement.EnumerateArray().ToList();
        Assert.Equal("rgba(214, 39, 40, 1.0)", traces[0].GetProperty("line").GetProperty("color").GetString());
        Assert.False(traces[0].TryGetProperty("line", out var solid) && solid.TryGetProperty("dash", out _));
        Assert.Equal("dash", traces[1].GetProperty("line").GetProperty("dash").GetString());
        Assert.Equal("rgba(44, 160, 44, 1.0)", traces[2].GetProperty("marker").GetProperty("color").GetString());
    }

    /// <summary>Save html: writes acomplete offline document: creating the folder.</summary>
    [Fact]
    public void SaveHtml_WritesACompleteOfflineDocument_CreatingTheFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"studydl-plot-{Guid.NewGuid():N}");
        try
        {
            var path = Path.Combine(folder, "nested", "chart.html");
            LineFigure().SaveHtml(path);

            var html = File.ReadAllText(path);
            Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("<title>Loss per epoch</title>", html, StringComparison.Ordinal);
            Assert.Contains("plotly.js v", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script src=\"https://cdn.plot.ly", html, StringComparison.Ordinal);
            Assert.Contains("Plotly.newPlot", html, StringComparison.Ordinal);
            Assert.Equal(["chart.html"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Save png: writes apng of the requested size.</summary>
    [Fact]
    public void SavePng_WritesAPngOfTheRequestedSize()
    {
        if (!Chromium.KnownPaths.Any(File.Exists) && Environment.GetEnvironmentVariable(Chromium.PathVariable) is null)
        {
            Assert.Fail($"This test needs Chromium (apt-get install chromium), tried {string.Join(", ", Chromium.KnownPaths)}.");
        }

        var folder = Path.Combine(Path.GetTempPath(), $"studydl-png-{Guid.NewGuid():N}");
        try
        {
            var path = Path.Combine(folder, "chart.png");
            LineFigure().SavePng(path, 640, 360);

            var bytes = File.ReadAllBytes(path);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
            Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
            Assert.Equal(640, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
            Assert.Equal(360, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
            Assert.True(bytes.Length > 5_000, "a drawn chart is more than a blank image");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The renderer is loaded once per process: repeated renders reuse one private load context.</summary>
    [Fact]
    public void Rendering_ManyTimes_LoadsThePlottingContextOnce()
    {
        for (var i = 0; i < 5; i++)
        {
            LineFigure().ToHtml();
        }

        var contexts = System.Runtime.Loader.AssemblyLoadContext.All
            .Where(c => c.Assemblies.Any(a => a.GetName().Name == "Plotly.NET"))
            .ToList();
        var context = Assert.Single(contexts);
        Assert.NotSame(System.Runtime.Loader.AssemblyLoadContext.Default, context);
    }

    /// <summary>The JSON assigned to <c>var name = ...;</c> in Plotly.NET's chart script.</summary>
    private static string ScriptVariable(string html, string name)
    {
        var match = Regex.Match(html, $@"var {name} = (.*?);\r?\n", RegexOptions.Singleline);
        Assert.True(match.Success, $"no 'var {name} = ...;' in the chart script");
        return match.Groups[1].Value;
    }
}
