using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Notebooks;

/// <summary>
/// The plotly.js the site's charts share: exactly the script Plotly.NET inlines into self-contained charts (so the
/// same version the notebooks load from the CDN), taken from a rendered chart, never fetched from the network.
/// </summary>
internal static class SharedPlotlyJs
{
    private const string Opening = "<script type=\"text/javascript\" charset=\"utf-8\">";

    private static readonly Lazy<string> Script = new(Extract, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The plotly.js source.</summary>
    public static string Text() => Script.Value;

    private static string Extract()
    {
        var html = new Figure("plotly.js", Trace.Line("x", [0.0, 1.0], [0.0, 1.0])).ToHtml(PlotlyScript.Inline);
        var start = html.IndexOf(Opening, StringComparison.Ordinal);
        var end = start < 0 ? -1 : html.IndexOf("</script>", start, StringComparison.Ordinal);
        return start >= 0 && end > start
            ? html[(start + Opening.Length)..end]
            : throw new InvalidOperationException("The chart renderer's inlined HTML has no plotly.js script block; cannot write assets/plotly.min.js.");
    }
}
