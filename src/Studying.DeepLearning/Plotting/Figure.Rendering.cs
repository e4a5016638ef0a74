namespace Studying.DeepLearning.Plotting;

/// <summary>Where the plotly.js script of a rendered chart comes from.</summary>
public enum PlotlyScript
{
    /// <summary>A &lt;script&gt; tag that loads plotly.js from its CDN (small output; needs internet to display).</summary>
    Cdn,
    /// <summary>The plotly.js shipped inside Plotly.NET, inlined (~3.6 MB per chart; displays offline).</summary>
    Inline,
}

public sealed partial record Figure
{
    // TEMPORARY: the rendering is implemented on the plotting branch (Plotly.NET in its own AssemblyLoadContext).

    /// <summary>Renders the figure with Plotly.NET as an HTML fragment (a div and its script) for a notebook cell.</summary>
    /// <param name="script">Where plotly.js comes from.</param>
    public string ToHtml(PlotlyScript script = PlotlyScript.Cdn) => throw new NotImplementedException();

    /// <summary>Writes the figure as a self-contained HTML page (plotly.js inlined, so it opens offline).</summary>
    /// <param name="path">The file to write; its folder is created if missing.</param>
    public void SaveHtml(string path) => throw new NotImplementedException();

    /// <summary>Writes the figure as a PNG image, rendered by a headless Chromium.</summary>
    /// <param name="path">The file to write; its folder is created if missing.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public void SavePng(string path, int width = 800, int height = 500) => throw new NotImplementedException();
}
