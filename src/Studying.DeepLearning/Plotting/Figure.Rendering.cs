using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Plotting;

/// <summary>Where the plotly.js script of a rendered chart comes from.</summary>
public enum PlotlyScript
{
    /// <summary>
    /// plotly.js loaded from its CDN through require.js, as Plotly.NET's notebook integration does (small output;
    /// needs internet to display).
    /// </summary>
    Cdn,
    /// <summary>The plotly.js shipped inside Plotly.NET, inlined (~3.6 MB per chart; displays offline).</summary>
    Inline,
}

public sealed partial record Figure
{
    /// <summary>Renders the figure with Plotly.NET as an HTML fragment (a div and its script) for a notebook cell.</summary>
    /// <param name="script">Where plotly.js comes from.</param>
    /// <exception cref="ArgumentException">The figure is not drawable (the message names the trace).</exception>
    public string ToHtml(PlotlyScript script = PlotlyScript.Cdn)
    {
        var json = FigureWireMapping.ToWire(this).ToJson();
        return PlottingHost.Entry.ToHtml(json, script == PlotlyScript.Inline);
    }

    /// <summary>Renders the figure as a complete HTML document with plotly.js inlined (opens offline).</summary>
    /// <exception cref="ArgumentException">The figure is not drawable (the message names the trace).</exception>
    public string ToHtmlDocument()
    {
        var json = FigureWireMapping.ToWire(this).ToJson();
        return PlottingHost.Entry.ToDocument(json);
    }

    /// <summary>Writes the figure as a self-contained HTML page (plotly.js inlined, so it opens offline).</summary>
    /// <param name="path">The file to write; its folder is created if missing. Written whole or not at all.</param>
    /// <exception cref="ArgumentException">The figure is not drawable (the message names the trace).</exception>
    public void SaveHtml(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var html = ToHtmlDocument();
        AtomicFile.Write(path, temporary => File.WriteAllText(temporary, html));
    }

    /// <summary>Renders the figure as a PNG image with the local headless Chromium.</summary>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <returns>The PNG bytes.</returns>
    /// <exception cref="ArgumentException">The figure is not drawable (the message names the trace).</exception>
    /// <exception cref="InvalidOperationException">No Chromium was found, or it failed to render.</exception>
    public byte[] ToPng(int width = 800, int height = 500)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var json = FigureWireMapping.ToWire(this).ToJson();
        var browser = Chromium.Find();
        return PlottingHost.Entry.ToPng(json, width, height, browser, Chromium.Arguments());
    }

    /// <summary>Writes the figure as a PNG image, rendered by a headless Chromium.</summary>
    /// <param name="path">The file to write; its folder is created if missing. Written whole or not at all.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <exception cref="ArgumentException">The figure is not drawable (the message names the trace).</exception>
    /// <exception cref="InvalidOperationException">No Chromium was found, or it failed to render.</exception>
    public void SavePng(string path, int width = 800, int height = 500)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var png = ToPng(width, height);
        AtomicFile.Write(path, temporary => File.WriteAllBytes(temporary, png));
    }
}
