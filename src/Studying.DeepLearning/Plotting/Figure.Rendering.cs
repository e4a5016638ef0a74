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

    /// <summary>
    /// Writes the figure as a self-contained HTML page (plotly.js inlined, ~3.6 MB, so it opens offline on its own).
    /// For a folder of many charts, <see cref="SaveHtml(string, string)"/> shares one plotly.js file instead.
    /// </summary>
    /// <param name="path">The file to write; its folder is created if missing. Written whole or not at all.</param>
    /// <exception cref="ArgumentException">The figure is not drawable (the message names the trace).</exception>
    public void SaveHtml(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var html = ToHtmlDocument();
        AtomicFile.Write(path, temporary => File.WriteAllText(temporary, html));
    }

    /// <summary>
    /// Writes the figure as an HTML page that loads plotly.js from a shared file beside it instead of inlining it:
    /// a folder of charts then holds plotly.js (~3.6 MB) once and each page only its data. The script file is written
    /// by <see cref="PlotlyScriptFile.Save"/> if it is missing or differs; the page refers to it by a relative
    /// <c>&lt;script src&gt;</c>, so the folder opens offline (file://) and can be moved as a whole.
    /// </summary>
    /// <param name="path">The page to write; its folder is created if missing. Written whole or not at all.</param>
    /// <param name="sharedPlotlyJs">
    /// The shared plotly.js file, e.g. <c>out/plotly.min.js</c> (<see cref="PlotlyScriptFile.DefaultFileName"/>).
    /// </param>
    /// <exception cref="ArgumentException">The figure is not drawable (the message names the trace).</exception>
    public void SaveHtml(string path, string sharedPlotlyJs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(sharedPlotlyJs);
        var page = Path.GetFullPath(path);
        var script = Path.GetFullPath(sharedPlotlyJs);
        var json = FigureWireMapping.ToWire(this).ToJson();
        var html = PlottingHost.Entry.ToDocumentWithScript(json, PlotlyScriptFile.RelativeUrl(Path.GetDirectoryName(page)!, script));
        PlotlyScriptFile.Save(script);
        AtomicFile.Write(page, temporary => File.WriteAllText(temporary, html));
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
