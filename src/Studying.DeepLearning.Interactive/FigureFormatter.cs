using Microsoft.DotNet.Interactive.Formatting;

using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Interactive;

/// <summary>
/// Displays a <see cref="Figure"/> as its chart (text/html) in a .NET Interactive notebook.
/// <see cref="Notebook.Setup"/> registers it (idempotent); the core library does not know notebooks exist.
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
