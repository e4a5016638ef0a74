using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Tests.Plotting;

/// <summary>
/// Chart text (titles, labels, names — e.g. class names read from a data file) cannot end the chart's inline
/// script or inject markup, on any rendering path, and still reaches plotly.js exactly as typed
/// (src/Studying.DeepLearning.Plotting.Impl/ScriptSafeJson.cs).
/// </summary>
[Trait("Tier", "unit")]
public sealed partial class ScriptInjectionTests
{
    /// <summary>Strings that would break out of a script element or inject markup if written raw.</summary>
    public static readonly string[] Hostile =
    [
        "</script><script>alert(1)</script>",
        "</SCRIPT >",
        "<script>alert(2)</script>",
        "<!--",
        "<img src=x onerror=alert(1)>",
        "line\u2028separator\u2029paragraph",
        "quotes \" ' ` \\ done",
        "[LAYOUT] [CONFIG] [DATA] [ID]",
        "a < b & c",
    ];

    /// <summary>Every string-carrying field of a figure, as a way to build a figure with that field set.</summary>
    private static readonly Dictionary<string, Func<string, Figure>> Fields = new()
    {
        ["figure title"] = s => new Figure(s, Trace.Line("t", [1, 2], [3, 4])),
        ["x axis title"] = s => new Figure("f", Trace.Line("t", [1, 2], [3, 4])).WithAxisTitles(s, "y"),
        ["y axis title"] = s => new Figure("f", Trace.Line("t", [1, 2], [3, 4])).WithAxisTitles("x", s),
        ["x tick label"] = s => new Figure("f", Trace.Line("t", [1, 2], [3, 4])) { XAxis = new Axis { Ticks = [(1, s), (2, "b")] } },
        ["y tick label"] = s => new Figure("f", Trace.Line("t", [1, 2], [3, 4])) { YAxis = new Axis { Ticks = [(3, s)] } },
        ["line name"] = s => new Figure("f", Trace.Line(s, [1, 2], [3, 4])),
        ["markers name"] = s => new Figure("f", Trace.Markers(s, [1, 2], [3, 4])),
        ["contour name"] = s => new Figure("f", new ContourTrace(s, [0, 1], [0, 1], [[0, 1], [1, 2]])),
        ["heatmap name"] = s => new Figure("f", new HeatmapTrace(s, ["a", "b"], ["c"], [[1, 2]])),
        ["heatmap column label"] = s => new Figure("f", new HeatmapTrace("h", [s, "b"], ["c"], [[1, 2]])),
        ["heatmap row label"] = s => new Figure("f", new HeatmapTrace("h", ["a", "b"], [s], [[1, 2]])),
        ["bar name"] = s => new Figure("f", new BarTrace(s, ["a"], [1])),
        ["bar category"] = s => new Figure("f", new BarTrace("b", [s, "other"], [1, 2])),
        ["image name"] = s => new Figure("f", new ImageTrace(s, 1, 1, [1, 2, 3])),
    };

    public static TheoryData<string, string> FieldsAndHostileStrings()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in Fields.Keys)
        {
            foreach (var hostile in Hostile)
            {
                data.Add(field, hostile);
            }
        }

        return data;
    }

    /// <summary>
    /// Notebook fragment (CDN): a hostile string in any field adds no script tag, comment or element, leaves no raw
    /// line separator in the script, and reaches the chart's JSON exactly as typed.
    /// </summary>
    [Theory]
    [MemberData(nameof(FieldsAndHostileStrings))]
    public void ToHtml_Cdn_HostileTextInAnyField_StaysTextInsideTheScript(string field, string hostile)
    {
        var html = Fields[field](hostile).ToHtml();
        var benign = Fields[field]("benign").ToHtml();

        AssertNoMarkupAdded(benign, html);
        Assert.Contains(hostile, ChartStrings(html));
    }

    /// <summary>Notebook fragment with plotly.js inlined: the same, with every field hostile at once.</summary>
    [Fact]
    public void ToHtml_Inline_HostileTextEverywhere_AddsNoMarkup()
    {
        foreach (var hostile in Hostile)
        {
            var html = Everywhere(hostile).ToHtml(PlotlyScript.Inline);
            AssertNoMarkupAdded(Everywhere("benign").ToHtml(PlotlyScript.Inline), html);
            Assert.Contains(hostile, ChartStrings(html));
        }
    }

    /// <summary>
    /// Self-contained document (SaveHtml, the CLI's reports): no markup added, and the title in the page's
    /// &lt;title&gt; is HTML-encoded text that decodes to what was typed.
    /// </summary>
    [Fact]
    public void ToHtmlDocument_HostileTextEverywhere_AddsNoMarkupAndEncodesTheDocumentTitle()
    {
        var benign = Everywhere("benign").ToHtmlDocument();
        foreach (var hostile in Hostile)
        {
            var html = Everywhere(hostile).ToHtmlDocument();

            AssertNoMarkupAdded(benign, html);
            Assert.Contains(hostile, ChartStrings(html));
            // The page's own <title> (plotly.js, inlined before it, holds SVG <title>s of its own).
            var title = Regex.Match(html, "<title>([^<]*)</title><meta charset", RegexOptions.Singleline);
            Assert.True(title.Success, "the document has a <title> of text only");
            Assert.Equal(hostile, WebUtility.HtmlDecode(title.Groups[1].Value));
        }
    }

    /// <summary>A figure whose every string-carrying field is <paramref name="text"/> (one trace of each kind).</summary>
    internal static Figure Everywhere(string text) =>
        new Figure(
            text,
            Trace.Line(text, [1, 2], [3, 4]),
            Trace.Markers(text, [1, 2], [3, 4]),
            new ContourTrace(text, [0, 1], [0, 1], [[0, 1], [1, 2]]),
            new HeatmapTrace(text, [text, "b"], [text], [[1, 2]]),
            new BarTrace(text, [text, "other"], [1, 2]))
        {
            XAxis = new Axis(text) { Ticks = [(1, text), (2, "b")] },
            YAxis = new Axis(text) { Ticks = [(3, text)] },
        };

    private static void AssertNoMarkupAdded(string benign, string html)
    {
        foreach (var token in new[] { "<script", "</script", "<!--", "<img", "<title", "</title", "<style", "<iframe", "<x>" })
        {
            Assert.True(
                Count(benign, token) == Count(html, token),
                $"'{token}' occurs {Count(html, token)} times, the renderer's own markup has {Count(benign, token)}");
        }

        // Outside plotly.js itself (inlined verbatim), the chart script holds no raw line or paragraph separator.
        foreach (var script in ChartScripts(html))
        {
            Assert.DoesNotContain('\u2028', script);
            Assert.DoesNotContain('\u2029', script);
        }
    }

    private static int Count(string html, string token) =>
        Regex.Count(html, Regex.Escape(token), RegexOptions.IgnoreCase);

    // Plotly.NET's chart scripts: the ones that assign var data / layout / config.
    private static IEnumerable<string> ChartScripts(string html) =>
        ScriptElement().Matches(html).Select(m => m.Groups[1].Value).Where(s => s.Contains("var data = ", StringComparison.Ordinal));

    // Every string in the data, layout and config JSON, as JSON.parse (and so plotly.js) reads it.
    private static List<string> ChartStrings(string html)
    {
        var strings = new List<string>();
        foreach (var name in new[] { "data", "layout", "config" })
        {
            var match = Regex.Match(html, $@"var {name} = (.*?);\r?\n", RegexOptions.Singleline);
            Assert.True(match.Success, $"no 'var {name} = ...;' in the chart script");
            using var json = JsonDocument.Parse(match.Groups[1].Value);
            Collect(json.RootElement, strings);
        }

        return strings;
    }

    private static void Collect(JsonElement element, List<string> strings)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                strings.Add(element.GetString()!);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, strings);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, strings);
                }

                break;
        }
    }

    [GeneratedRegex("<script[^>]*>(.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptElement();
}
