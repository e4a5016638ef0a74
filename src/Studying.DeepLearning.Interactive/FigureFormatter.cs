using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive.Formatting;

using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Interactive;

/// <summary>
/// Displays a <see cref="Figure"/> as its chart (text/html) in a .NET Interactive notebook.
/// <see cref="Notebook.Setup"/> registers it (idempotent); the core library does not know notebooks exist.
/// </summary>
/// <remarks>
/// With <see cref="StaticImages"/> on (<c>STUDYDL_NOTEBOOK_PNG=1</c>, set by <c>studydl notebooks execute</c>), a
/// figure is displayed as one bundle of two formats: image/png (the chart rendered by headless Chromium), and
/// text/html whose chart container first shows that same picture, removed by the chart's script once it runs.
/// Viewers that render the html without scripts (GitHub, nbconvert's sanitised HTML, both of which prefer
/// text/html over image/png) so still show the picture instead of an empty div.
/// </remarks>
public sealed class FigureFormatter : ITypeFormatterSource
{
    /// <summary>The environment variable that turns on <see cref="StaticImages"/> in the kernel.</summary>
    public const string StaticImagesVariable = "STUDYDL_NOTEBOOK_PNG";

    /// <summary>Width of the static picture, in pixels (small outputs: a line chart is tens of KB).</summary>
    public const int PngWidth = 800;

    /// <summary>Height of the static picture, in pixels.</summary>
    public const int PngHeight = 500;

    private static readonly ConditionalWeakTable<Figure, string> PngCache = [];
    private static int _registered;

    /// <summary>Where plotly.js comes from in displayed charts: the CDN by default (small notebooks).</summary>
    public static PlotlyScript Script { get; set; } = PlotlyScript.Cdn;

    /// <summary>True when figures are displayed with a static image/png too (<see cref="StaticImagesVariable"/>=1).</summary>
    public static bool StaticImages => Environment.GetEnvironmentVariable(StaticImagesVariable) == "1";

    /// <summary>Registers the formatters for <see cref="Figure"/> and makes them the preferred display.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        Formatter.Register(CreateHtmlFormatter());
        if (StaticImages)
        {
            Formatter.Register<Figure>((figure, writer) => writer.Write(PngBase64(figure)), "image/png");
            Formatter.SetPreferredMimeTypesFor(typeof(Figure), HtmlFormatter.MimeType, "image/png");
        }
        else
        {
            Formatter.SetPreferredMimeTypesFor(typeof(Figure), HtmlFormatter.MimeType);
        }
    }

    /// <summary>The formatters this source provides: a figure as its HTML chart.</summary>
    public IEnumerable<ITypeFormatter> CreateTypeFormatters() => [CreateHtmlFormatter()];

    private static HtmlFormatter<Figure> CreateHtmlFormatter() =>
        new((figure, context) =>
        {
            var chart = figure.ToHtml(Script);
            if (StaticImages)
            {
                var id = "studydl-static-" + Guid.NewGuid().ToString("N");
                context.Writer.Write(string.Create(CultureInfo.InvariantCulture,
                    $"<img id=\"{id}\" alt=\"chart (static picture)\" width=\"{PngWidth}\" height=\"{PngHeight}\" src=\"data:image/png;base64,{PngBase64(figure)}\"/>"));
                context.Writer.Write(chart);
                context.Writer.Write($"<script type=\"text/javascript\">(function(){{var e=document.getElementById('{id}');if(e){{e.remove();}}}})();</script>");
            }
            else
            {
                context.Writer.Write(chart);
            }

            return true;
        });

    private static string PngBase64(Figure figure) =>
        PngCache.GetValue(figure, f => Convert.ToBase64String(f.ToPng(PngWidth, PngHeight)));
}
