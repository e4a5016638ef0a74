using Process = System.Diagnostics.Process;
using ProcessStartInfo = System.Diagnostics.ProcessStartInfo;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Tests.Plotting;

/// <summary>
/// Hostile chart text opened in a real browser (headless Chromium): no injected script or handler runs, the chart is
/// still drawn, and the text is shown as typed. Skipped where no Chromium is installed.
/// </summary>
[Trait("Tier", "unit")]
public sealed class ScriptInjectionBrowserTests
{
    // Each payload, if it ever ran, would set window.__pwned; the recorder below writes it into the DOM.
    private const string TitlePayload = "</script><script>window.__pwned='title'</script> a < b & c";
    private const string AxisPayload = "</SCRIPT ><script>window.__pwned='axis'</script>";
    private const string TraceNamePayload = "<img src=x onerror=\"window.__pwned='trace'\">";
    private const string CategoryPayload = "<!--<script>window.__pwned='category'</script>";
    private const string BarPayload = "<img src=x onerror=window.__pwned='bar'>";

    // Runs after the chart had time to draw (virtual time), and records whether any payload ran.
    private const string Recorder =
        "<script>setTimeout(function () { document.documentElement.setAttribute('data-pwned', String(window.__pwned)); }, 3000);</script>";

    private static Figure HostileReport() =>
        new Figure(
            TitlePayload,
            Trace.Line(TraceNamePayload, [0, 1], [1, 2]),
            new HeatmapTrace("confusion", [CategoryPayload, "cat"], [CategoryPayload, "dog"], [[1, 2], [3, 4]]),
            new BarTrace(BarPayload, [BarPayload, "ship"], [1, 2]))
        {
            XAxis = new Axis(AxisPayload),
            YAxis = new Axis("a < b & c"),
        };

    /// <summary>The CLI's report (SaveHtml): opened in Chromium, nothing injected runs and the chart is drawn.</summary>
    [ChromiumFact]
    public void SavedReport_OpenedInChromium_RunsNoInjectedScriptAndDrawsTheChartWithTheTextAsTyped()
    {
        var folder = Directory.CreateTempSubdirectory("studydl-xss-");
        try
        {
            var path = Path.Combine(folder.FullName, "report.html");
            HostileReport().SaveHtml(path);
            File.AppendAllText(path, Recorder);

            AssertSafeAndDrawn(HeadlessPage.Open(path, folder.FullName).Dom);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The notebook fragment (plotly.js inlined) in a page: the same.</summary>
    [ChromiumFact]
    public void NotebookFragment_OpenedInChromium_RunsNoInjectedScriptAndDrawsTheChart()
    {
        var folder = Directory.CreateTempSubdirectory("studydl-xss-");
        try
        {
            var path = Path.Combine(folder.FullName, "cell.html");
            File.WriteAllText(
                path,
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>"
                + HostileReport().ToHtml(PlotlyScript.Inline) + Recorder + "</body></html>");

            AssertSafeAndDrawn(HeadlessPage.Open(path, folder.FullName).Dom);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The PNG path: Chromium gets the same chart script; it still runs to the end and yields an image.</summary>
    [ChromiumFact]
    public void ToPng_HostileText_StillRendersAnImage()
    {
        var png = HostileReport().ToPng(400, 300);

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.True(png.Length > 5_000, "a drawn chart is more than a blank image");
    }

    private static void AssertSafeAndDrawn(string dom)
    {
        // "undefined": the recorder ran, and no payload did (else this names the payload that ran).
        var pwned = System.Text.RegularExpressions.Regex.Match(dom, "data-pwned=\"([^\"]*)\"");
        Assert.True(pwned.Success, "the recorder script did not run");
        Assert.Equal("undefined", pwned.Groups[1].Value);
        Assert.Contains("class=\"main-svg\"", dom, StringComparison.Ordinal);

        // Shown as typed: the DOM serialiser escapes < > & in text, so this is the title as a text node.
        Assert.Contains(AsSerializedText(TitlePayload), dom, StringComparison.Ordinal);
        Assert.Contains(AsSerializedText("a < b & c"), dom, StringComparison.Ordinal);
        Assert.Contains(AsSerializedText(AxisPayload), dom, StringComparison.Ordinal);
    }

    private static string AsSerializedText(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
}
