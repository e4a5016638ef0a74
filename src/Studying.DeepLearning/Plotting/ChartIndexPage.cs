using System.Globalization;
using System.Net;
using System.Text;

namespace Studying.DeepLearning.Plotting;

/// <summary>
/// The HTML of a <see cref="ChartIndex"/> page: plain HTML and CSS, no script, no external font or stylesheet.
/// Every text is HTML-encoded and every link is a relative URL with percent-escaped segments.
/// </summary>
internal static class ChartIndexPage
{
    private const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; line-height: 1.45; }
        main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
        h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
        .lead, .meta { color: #57606a; margin: .2rem 0 .8rem; }
        nav ul { display: flex; flex-wrap: wrap; gap: .4rem .9rem; list-style: none; padding: 0; margin: .5rem 0 1.25rem; }
        section { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 1rem 1.25rem; margin: 0 0 1.25rem; }
        h2 { font-size: 1.25rem; margin: 0 0 .2rem; }
        .columns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.5rem; }
        @media (max-width: 760px) { .columns { grid-template-columns: 1fr; } }
        h3 { font-size: .85rem; text-transform: uppercase; letter-spacing: .04em; color: #57606a; margin: .4rem 0; }
        table { border-collapse: collapse; width: 100%; font-size: .93rem; }
        th, td { text-align: left; vertical-align: top; padding: .28rem .5rem; border-bottom: 1px solid #eaeef2; }
        th { font-weight: 500; color: #424a53; width: 55%; }
        td { font-variant-numeric: tabular-nums; font-weight: 600; }
        ul.charts { margin: 0; padding-left: 1.1rem; }
        ul.charts li { margin: .15rem 0; }
        .missing { color: #9a6700; }
        a { color: #0969da; text-decoration: none; } a:hover { text-decoration: underline; }
        .problems { border-color: #d4a72c; background: #fff8c5; }
        footer { color: #57606a; font-size: .85rem; }
        """;

    /// <summary>Renders the page.</summary>
    /// <param name="title">The page heading.</param>
    /// <param name="contents">The sections and problems.</param>
    /// <param name="chartExists">Whether (folder, file) exists; a missing page is listed but not linked.</param>
    /// <param name="sharedScriptPresent">Whether the shared plotly.js sits beside the page.</param>
    public static string Render(string title, ChartIndexContents contents, Func<string, string, bool> chartExists, bool sharedScriptPresent)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n")
            .Append("<h1>").Append(Encode(title)).Append("</h1>\n");

        var sections = contents.Sections;
        var charts = sections.Sum(s => s.Charts.Count);
        html.Append("<p class=\"lead\">")
            .Append(Encode(string.Create(CultureInfo.InvariantCulture, $"{sections.Count} {(sections.Count == 1 ? "section" : "sections")}, {charts} {(charts == 1 ? "chart" : "charts")}. Each chart opens as its own interactive page.")))
            .Append("</p>\n");

        if (sections.Count > 1)
        {
            html.Append("<nav><ul>\n");
            for (var i = 0; i < sections.Count; i++)
                html.Append("<li><a href=\"#section-").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\">").Append(Encode(sections[i].Title)).Append("</a></li>\n");
            html.Append("</ul></nav>\n");
        }

        if (contents.Problems.Count > 0)
        {
            html.Append("<section class=\"problems\">\n<h2>Summaries that could not be used</h2>\n<ul>\n");
            foreach (var problem in contents.Problems)
                html.Append("<li>").Append(Encode(problem)).Append("</li>\n");
            html.Append("</ul>\n</section>\n");
        }

        if (sections.Count == 0)
            html.Append("<p>No section has written its summary yet.</p>\n");

        for (var i = 0; i < sections.Count; i++)
            AppendSection(html, sections[i], i, chartExists);

        if (sharedScriptPresent)
        {
            html.Append("<footer><p>The chart pages load plotly.js from <code>").Append(Encode(PlotlyScriptFile.DefaultFileName))
                .Append("</code> in this folder: they open offline, and the folder moves as a whole.</p></footer>\n");
        }

        return html.Append("</main>\n</body>\n</html>\n").ToString();
    }

    private static void AppendSection(StringBuilder html, ChartIndexSection section, int index, Func<string, string, bool> chartExists)
    {
        html.Append("<section id=\"section-").Append(index.ToString(CultureInfo.InvariantCulture)).Append("\">\n<h2>").Append(Encode(section.Title)).Append("</h2>\n");
        var meta = section.WrittenAt is { } written
            ? string.Create(CultureInfo.InvariantCulture, $"{section.Folder}/ · written {written.ToUniversalTime():yyyy-MM-dd HH:mm} UTC")
            : section.Folder + "/";
        html.Append("<p class=\"meta\">").Append(Encode(meta)).Append("</p>\n");
        if (!string.IsNullOrWhiteSpace(section.Description))
            html.Append("<p>").Append(Encode(section.Description)).Append("</p>\n");

        html.Append("<div class=\"columns\">\n<div>\n<h3>Results</h3>\n");
        if (section.Numbers.Count == 0)
        {
            html.Append("<p class=\"meta\">No headline numbers.</p>\n");
        }
        else
        {
            html.Append("<table><tbody>\n");
            foreach (var number in section.Numbers)
                html.Append("<tr><th>").Append(Encode(number.Label)).Append("</th><td>").Append(Encode(number.Value)).Append("</td></tr>\n");
            html.Append("</tbody></table>\n");
        }

        html.Append("</div>\n<div>\n<h3>Charts</h3>\n<ul class=\"charts\">\n");
        foreach (var chart in section.Charts)
        {
            html.Append("<li>");
            if (chartExists(section.Folder, chart.File))
            {
                html.Append("<a href=\"").Append(Encode(Uri.EscapeDataString(section.Folder) + "/" + Uri.EscapeDataString(chart.File))).Append("\">")
                    .Append(Encode(chart.Title)).Append("</a>");
            }
            else
            {
                html.Append(Encode(chart.Title)).Append(" <span class=\"missing\">(").Append(Encode(chart.File)).Append(" is missing: re-run this section)</span>");
            }

            html.Append("</li>\n");
        }

        html.Append("</ul>\n</div>\n</div>\n</section>\n");
    }

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);
}
