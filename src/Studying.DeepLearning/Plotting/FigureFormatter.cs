using Microsoft.DotNet.Interactive.Formatting;

namespace Studying.DeepLearning.Plotting;

/// <summary>
/// Displays a <see cref="Figure"/> as its chart (text/html) in a .NET Interactive notebook. Kernels pick it up on
/// their own through <see cref="TypeFormatterSourceAttribute"/> on <see cref="Figure"/>; <see cref="Register"/> does
/// it explicitly (idempotent), for hosts that format without that discovery.
/// </summary>
public sealed class FigureFormatter : ITypeFormatterSource
{
    private static int _registered;

    /// <summary>Where plotly.js comes from in displayed charts: the CDN by default (small notebooks).</summary>
    public static PlotlyScript Script { get; set; } = PlotlyScript.Cdn;

    /// <summary>Registers the text/html formatter for <see cref="Figure"/> and makes it the preferred display.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        Formatter.Register(CreateHtmlFormatter());
        Formatter.SetPreferredMimeTypesFor(typeof(Figure), HtmlFormatter.MimeType);
    }

    /// <summary>The formatters this source provides: a figure as its HTML chart.</summary>
    public IEnumerable<ITypeFormatter> CreateTypeFormatters() => [CreateHtmlFormatter()];

    private static HtmlFormatter<Figure> CreateHtmlFormatter() =>
        new((figure, context) =>
        {
            context.Writer.Write(figure.ToHtml(Script));
            return true;
        });
}
