using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.ImageExport;
using Studying.DeepLearning.Plotting.Wire;

namespace Studying.DeepLearning.Plotting.Impl;

/// <summary>
/// What the facade calls, by reflection, from the default load context. Only strings, numbers and string arrays
/// cross: the figure arrives as JSON (<see cref="FigureWire"/>), the chart leaves as HTML text or a written file.
/// Exceptions of types defined outside the framework are rethrown as <see cref="InvalidOperationException"/>
/// carrying the original message, so that callers can catch them by a type they can see.
/// </summary>
public static class PlottingEntryPoint
{
    private static readonly Lazy<string> PlotlyJs = new(ReadEmbeddedPlotlyJs);
    private static readonly Lock PngGate = new();

    /// <summary>The plotly.js version bundled in Plotly.NET (and loaded from the CDN).</summary>
    public static string PlotlyJsVersion => Globals.PLOTLYJS_VERSION;

    /// <summary>Renders a figure as an HTML fragment (a div and its script) for a notebook cell.</summary>
    /// <param name="figureJson">The figure, as written by <c>FigureWire.ToJson</c>.</param>
    /// <param name="inlinePlotlyJs">
    /// <see langword="true"/> to inline plotly.js (works offline); <see langword="false"/> to load it from the CDN
    /// through require.js, as Plotly.NET's notebook integration does (works wherever the cell's scripts load).
    /// </param>
    public static string ToHtml(string figureJson, bool inlinePlotlyJs) => Guard(() =>
    {
        var chart = ChartBuilder.Build(FigureWire.FromJson(figureJson));
        if (!inlinePlotlyJs)
        {
            var cdn = PlotlyJSReference.NewRequire($"https://cdn.plot.ly/plotly-{Globals.PLOTLYJS_VERSION}.min");
            return GenericChart.toChartHTML(WithPlotlyReference(chart, cdn));
        }

        // The chart script calls Plotly.newPlot directly, so plotly.js must run first: inline it just before.
        var chartHtml = GenericChart.toChartHTML(WithPlotlyReference(chart, PlotlyJSReference.NoReference));
        return $"<script type=\"text/javascript\" charset=\"utf-8\">{PlotlyJs.Value}</script>{chartHtml}";
    });

    /// <summary>Renders a figure as a complete HTML document with plotly.js inlined.</summary>
    /// <param name="figureJson">The figure, as written by <c>FigureWire.ToJson</c>.</param>
    public static string ToDocument(string figureJson) => Guard(() =>
    {
        var figure = FigureWire.FromJson(figureJson);
        var chart = WithPlotlyReference(ChartBuilder.Build(figure), PlotlyJSReference.Full);
        chart = DocumentTitle(chart, string.IsNullOrWhiteSpace(figure.Title) ? "Chart" : figure.Title);
        return GenericChart.toEmbeddedHTML(chart);
    });

    /// <summary>
    /// Renders a figure as a complete HTML document that loads plotly.js from <paramref name="plotlyJsUrl"/> (a
    /// <c>&lt;script src&gt;</c> in the head) instead of inlining it, so many charts can share one copy.
    /// </summary>
    /// <param name="figureJson">The figure, as written by <c>FigureWire.ToJson</c>.</param>
    /// <param name="plotlyJsUrl">The script's URL, already URL-escaped (e.g. <c>../plotly.min.js</c>).</param>
    public static string ToDocumentWithScript(string figureJson, string plotlyJsUrl) => Guard(() =>
    {
        var figure = FigureWire.FromJson(figureJson);
        var chart = WithPlotlyReference(ChartBuilder.Build(figure), PlotlyJSReference.NewCDN(plotlyJsUrl));
        chart = DocumentTitle(chart, string.IsNullOrWhiteSpace(figure.Title) ? "Chart" : figure.Title);
        return GenericChart.toEmbeddedHTML(chart);
    });

    /// <summary>The plotly.js that Plotly.NET embeds, byte for byte (what <see cref="ToDocument"/> inlines).</summary>
    public static byte[] PlotlyJavaScript() => Guard(() =>
    {
        using var stream = OpenEmbeddedPlotlyJs();
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    });

    /// <summary>Renders a figure as a PNG image with a headless Chromium (Plotly.NET.ImageExport, PuppeteerSharp).</summary>
    /// <param name="figureJson">The figure, as written by <c>FigureWire.ToJson</c>.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="browserPath">The Chromium executable to launch; no browser is ever downloaded.</param>
    /// <param name="browserArguments">The command-line switches for Chromium.</param>
    /// <returns>The PNG bytes.</returns>
    public static byte[] ToPng(string figureJson, int width, int height, string browserPath, string[] browserArguments) => Guard(() =>
    {
        // plotly.js is inlined: the page must not need the network.
        var chart = WithPlotlyReference(ChartBuilder.Build(FigureWire.FromJson(figureJson)), PlotlyJSReference.Full);
        string base64;
        lock (PngGate)
        {
            // Plotly.NET.ImageExport reads these process-wide settings; with a local executable set it never
            // fetches a browser.
            PuppeteerSharpRendererOptions.localBrowserExecutablePath = FSharpOption<string>.Some(browserPath);
            var launch = PuppeteerSharpRendererOptions.launchOptions;
            launch.Headless = true;
            launch.Args = browserArguments;
            IGenericChartRenderer renderer = new PuppeteerSharpRenderer();

            // Off the caller's thread: a notebook kernel may have a synchronization context.
            base64 = Task.Run(() => (
                renderer.RenderPNGAsync(width, height, 1.0, chart))).GetAwaiter().GetResult();
        }

        return Convert.FromBase64String(base64[(base64.IndexOf(',', StringComparison.Ordinal) + 1)..]);
    });

    private static GenericChart WithPlotlyReference(GenericChart chart, PlotlyJSReference reference) =>
        GenericChart.mapDisplayOptions(FSharpFunc<DisplayOptions, DisplayOptions>.FromConverter(options =>
        {
            options.SetProperty("PlotlyJSReference", reference);
            return options;
        }), chart);

    private static GenericChart DocumentTitle(GenericChart chart, string title) =>
        GenericChart.mapDisplayOptions(FSharpFunc<DisplayOptions, DisplayOptions>.FromConverter(options =>
        {
            options.SetProperty("DocumentTitle", title);
            return options;
        }), chart);

    private static string ReadEmbeddedPlotlyJs()
    {
        using var stream = OpenEmbeddedPlotlyJs();
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static Stream OpenEmbeddedPlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = $"Plotly.NET.plotly-{Globals.PLOTLYJS_VERSION}.min.js";
        return assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Plotly.NET does not embed '{name}'.");
    }

    private static T Guard<T>(Func<T> render)
    {
        try
        {
            // Before anything is serialised: chart text must not be able to end the chart's <script>.
            ScriptSafeJson.Apply();
            return render();
        }
        catch (Exception ex) when (ex is not ArgumentException && !IsFramework(ex))
        {
            var inner = ex is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : ex;
            throw new InvalidOperationException($"{inner.GetType().Name}: {inner.Message}", inner);
        }
    }

    private static bool IsFramework(Exception ex) =>
        ex.GetType().Assembly == typeof(object).Assembly && ex is not AggregateException;
}
