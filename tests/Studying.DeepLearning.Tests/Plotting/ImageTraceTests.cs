using System.Text.Json;
using System.Text.RegularExpressions;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Tests.Plotting;

[Trait("Tier", "unit")]
public class ImageTraceTests
{
    [Fact]
    public void ImageTrace_RendersRowsOfRgbPixels_AndCustomTicks()
    {
        // 2 × 3 pixels: row 0 red, green, blue; row 1 white, black, grey.
        byte[] rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 128, 128];
        var figure = new Figure("pixels", new ImageTrace("grid", 3, 2, rgb)) { XAxis = new Axis { Ticks = [(0, "red"), (2, "blue")] } };

        var html = figure.ToHtml();

        using var data = JsonDocument.Parse(Variable(html, "data"));
        var trace = Assert.Single(data.RootElement.EnumerateArray());
        Assert.Equal("image", trace.GetProperty("type").GetString());
        var z = trace.GetProperty("z");
        Assert.Equal(2, z.GetArrayLength());
        Assert.Equal([0, 0, 255], z[0][2].EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal([128, 128, 128], z[1][2].EnumerateArray().Select(v => v.GetInt32()));
        using var layout = JsonDocument.Parse(Variable(html, "layout"));
        var xaxis = layout.RootElement.GetProperty("xaxis");
        Assert.Equal(["red", "blue"], xaxis.GetProperty("ticktext").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal([0.0, 2.0], xaxis.GetProperty("tickvals").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public void ImageTrace_WithTheWrongNumberOfBytes_IsRejected()
    {
        var figure = new Figure("bad", new ImageTrace("grid", 3, 2, new byte[17]));

        var error = Assert.Throws<ArgumentException>(() => figure.ToHtml());
        Assert.Contains("needs 18 RGB bytes, but has 17", error.Message, StringComparison.Ordinal);
    }

    private static string Variable(string html, string name)
    {
        var match = Regex.Match(html, $@"var {name} = (.*?);\r?\n", RegexOptions.Singleline);
        Assert.True(match.Success, $"no 'var {name} = ...;' in the chart script");
        return match.Groups[1].Value;
    }
}
