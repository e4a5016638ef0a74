using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ColorCode;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Notebooks;

/// <summary>One page of the site.</summary>
/// <param name="FileName">The page's file name in the site folder (e.g. <c>1-1.Gradient_descent_MSE.html</c>).</param>
/// <param name="Title">The page's title (the notebook's first heading).</param>
/// <param name="Source">The file it was rendered from.</param>
public sealed record BookPage(string FileName, string Title, string Source);

/// <summary>The site <see cref="BookBuilder.Build"/> wrote.</summary>
/// <param name="Output">The site folder.</param>
/// <param name="Pages">The landing page (README) first, then one page per notebook, in chapter order.</param>
/// <param name="MathTypeset">False when KaTeX was not found and math was left as TeX text.</param>
public sealed record BookSite(string Output, IReadOnlyList<BookPage> Pages, bool MathTypeset);

/// <summary>
/// Renders README.md (the landing page, with its results tables) and every notebook under notebooks/ (with the
/// outputs stored in the .ipynb by <c>studydl notebooks execute</c>) as static HTML pages readable offline from the
/// file system: Markdown by Markdig (math by its mathematics extension, typeset in the browser by KaTeX from
/// Debian's libjs-katex), C# / F# / PowerShell highlighted server-side by ColorCode, charts drawn by one shared
/// plotly.js in assets/.
/// </summary>
/// <param name="repositoryRoot">The folder with README.md and notebooks/.</param>
/// <param name="output">The site folder (created; files of the same names are replaced).</param>
/// <param name="warn">Receives one line per thing missing (e.g. KaTeX not installed).</param>
public sealed class BookBuilder(string repositoryRoot, string output, Action<string>? warn = null)
{
    /// <summary>Where Debian's libjs-katex installs KaTeX.</summary>
    public const string DefaultKatexFolder = "/usr/share/javascript/katex";

    /// <summary>The site's landing page (README.md).</summary>
    public const string IndexFileName = "index.html";

    private const string SiteName = "Studying.DeepLearning";

    // Plotly.NET's notebook HTML loads plotly.js from its CDN through require.js; on the site the same call is
    // answered by the shared local plotly.js (no network, one copy for every chart).
    private const string RequireShim =
        "window.requirejs=function(deps,cb){cb(window.Plotly);};window.requirejs.config=function(){return window.requirejs;};window.require=window.requirejs;";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>Where KaTeX is looked for (katex.min.js, katex.min.css, fonts/, contrib/auto-render.js).</summary>
    public string KatexFolder { get; init; } = DefaultKatexFolder;

    /// <summary>Writes the site and returns what it wrote.</summary>
    /// <exception cref="InvalidOperationException">The output folder is the repository itself.</exception>
    public BookSite Build()
    {
        var root = Path.GetFullPath(repositoryRoot);
        var site = Path.GetFullPath(output);
        if (string.Equals(site.TrimEnd(Path.DirectorySeparatorChar), root.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"--out {output}: that is the repository itself; choose a folder such as 'site'.");
        }

        Directory.CreateDirectory(Path.Combine(site, "assets"));
        var math = CopyKatex(site);
        PlotlyScriptFile.Save(Path.Combine(site, "assets", PlotlyScriptFile.DefaultFileName)); // the one shared copy, as `studydl all --out` writes it
        File.WriteAllText(Path.Combine(site, "assets", "book.css"), Css + new HtmlClassFormatter().GetCSSString(), new UTF8Encoding(false));
        CopyImages(root, site);

        var notebooks = Directory.Exists(Path.Combine(root, "notebooks"))
            ? Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToArray()
            : [];
        var parsed = notebooks.Select(p => (Path: p, Notebook: NotebookFile.Read(p))).ToArray();
        var pages = new List<BookPage> { new(IndexFileName, SiteName, Path.Combine(root, "README.md")) };
        pages.AddRange(parsed.Select(n => new BookPage(Path.GetFileNameWithoutExtension(n.Path) + ".html", TitleOf(n.Notebook, n.Path), n.Path)));

        var readme = File.Exists(pages[0].Source) ? File.ReadAllText(pages[0].Source) : $"# {SiteName}";
        WritePage(site, pages, 0, Markdown(readme), math, charts: false);
        for (var i = 0; i < parsed.Length; i++)
        {
            WritePage(site, pages, i + 1, RenderNotebook(parsed[i].Notebook), math, charts: true);
        }

        return new BookSite(site, pages, math);
    }

    /// <summary>Renders Markdown to HTML with Markdig; links to notebooks/*.ipynb become links to their pages.</summary>
    /// <param name="markdown">Markdown text.</param>
    public static string Markdown(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (link.Url is { } url && !url.Contains("://", StringComparison.Ordinal) && url.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
            {
                link.Url = Path.GetFileNameWithoutExtension(url.Replace('\\', '/').Split('/')[^1]) + ".html";
            }
        }

        return document.ToHtml(Pipeline);
    }

    /// <summary>A code cell's source, highlighted by ColorCode when the kernel's language is known, else escaped.</summary>
    /// <param name="source">The cell source.</param>
    /// <param name="kernelName">csharp, fsharp, pwsh...</param>
    public static string HighlightCode(string source, string kernelName)
    {
        ILanguage? language = kernelName.ToUpperInvariant() switch
        {
            "CSHARP" or "C#" => Languages.CSharp,
            "FSHARP" or "F#" => Languages.FSharp,
            "PWSH" or "POWERSHELL" => Languages.PowerShell,
            "JAVASCRIPT" => Languages.JavaScript,
            "HTML" => Languages.Html,
            _ => null,
        };
        return language is null
            ? $"<pre><code>{WebUtility.HtmlEncode(source)}</code></pre>"
            : new HtmlClassFormatter().GetHtmlString(source, language);
    }

    private static string RenderNotebook(JsonObject notebook)
    {
        var defaultKernel = (string?)notebook["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"] ?? "csharp";
        var html = new StringBuilder();
        var number = 0;
        foreach (var cell in notebook["cells"]!.AsArray().OfType<JsonObject>())
        {
            var source = NotebookFile.Source(cell);
            number++;
            switch ((string?)cell["cell_type"])
            {
                case "markdown":
                    html.Append(CultureInfo.InvariantCulture, $"<section class=\"markdown\" id=\"cell-{number}\">").Append(Markdown(source)).Append("</section>\n");
                    break;
                case "code":
                    var kernel = (string?)cell["metadata"]?["polyglot_notebook"]?["kernelName"]
                                 ?? (string?)cell["metadata"]?["dotnet_interactive"]?["language"] ?? defaultKernel;
                    html.Append(CultureInfo.InvariantCulture, $"<section class=\"code\" id=\"cell-{number}\" data-kernel=\"{WebUtility.HtmlEncode(kernel)}\">")
                        .Append(HighlightCode(source, kernel));
                    foreach (var item in cell["outputs"] as JsonArray ?? [])
                    {
                        if (item is JsonObject o)
                        {
                            html.Append(RenderOutput(o));
                        }
                    }

                    html.Append("</section>\n");
                    break;
                default:
                    html.Append("<pre class=\"raw\">").Append(WebUtility.HtmlEncode(source)).Append("</pre>\n");
                    break;
            }
        }

        return html.ToString();
    }

    private static string RenderOutput(JsonObject output)
    {
        switch ((string?)output["output_type"])
        {
            case "stream":
                var name = (string?)output["name"] == "stderr" ? "stderr" : "stdout";
                return $"<pre class=\"output {name}\">{WebUtility.HtmlEncode(NotebookFile.MultilineText(output["text"]))}</pre>\n";
            case "display_data" or "execute_result":
                if (output["data"] is not JsonObject data)
                {
                    return "";
                }

                // Kernel-produced HTML is the output itself (tables, charts); it is inserted as the notebook shows it.
                if (data["text/html"] is { } html)
                {
                    return $"<div class=\"output html\">{NotebookFile.MultilineText(html)}</div>\n";
                }

                if (data["image/png"] is { } png)
                {
                    var base64 = NotebookFile.MultilineText(png).Trim();
                    return $"<div class=\"output image\"><img alt=\"output\" src=\"data:image/png;base64,{WebUtility.HtmlEncode(base64)}\"/></div>\n";
                }

                return data["text/plain"] is { } text
                    ? $"<pre class=\"output text\">{WebUtility.HtmlEncode(NotebookFile.MultilineText(text))}</pre>\n"
                    : "";
            case "error":
                return $"<pre class=\"output error\">{WebUtility.HtmlEncode((string?)output["ename"] + ": " + (string?)output["evalue"])}</pre>\n";
            default:
                return "";
        }
    }

    private static string TitleOf(JsonObject notebook, string path)
    {
        foreach (var cell in notebook["cells"]!.AsArray().OfType<JsonObject>().Where(c => (string?)c["cell_type"] == "markdown"))
        {
            var heading = Markdig.Markdown.Parse(NotebookFile.Source(cell), Pipeline).Descendants<HeadingBlock>().FirstOrDefault();
            if (heading?.Inline is { } inline)
            {
                var text = string.Concat(inline.Descendants<LiteralInline>().Select(l => l.Content.ToString()));
                if (!string.IsNullOrWhiteSpace(text))
                {
                    return text.Trim();
                }
            }
        }

        return Path.GetFileNameWithoutExtension(path);
    }

    private static void WritePage(string site, List<BookPage> pages, int index, string content, bool math, bool charts)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        static string Href(string fileName) => E(Uri.EscapeDataString(fileName));
        var page = pages[index];
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(page.Title == SiteName ? SiteName : $"{page.Title} — {SiteName}")}</title>
            <link rel="stylesheet" href="assets/book.css">

            """);
        if (math)
        {
            html.Append("<link rel=\"stylesheet\" href=\"assets/katex/katex.min.css\">\n");
        }

        if (charts)
        {
            html.Append(CultureInfo.InvariantCulture, $"<script src=\"assets/{PlotlyScriptFile.DefaultFileName}\"></script>\n<script>").Append(RequireShim).Append("</script>\n");
        }

        html.Append("</head>\n<body>\n<nav class=\"sidebar\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<a class=\"home\" href=\"{Href(IndexFileName)}\">{E(SiteName)}</a>\n<ol>\n");
        for (var i = 1; i < pages.Count; i++)
        {
            var current = i == index ? " class=\"current\" aria-current=\"page\"" : "";
            html.Append(CultureInfo.InvariantCulture, $"<li><a{current} href=\"{Href(pages[i].FileName)}\">{E(pages[i].Title)}</a></li>\n");
        }

        html.Append("</ol>\n</nav>\n<main>\n").Append(content).Append("<nav class=\"pager\">\n");
        if (index > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<a class=\"previous\" rel=\"prev\" href=\"{Href(pages[index - 1].FileName)}\">← {E(pages[index - 1].Title)}</a>\n");
        }

        if (index + 1 < pages.Count)
        {
            html.Append(CultureInfo.InvariantCulture, $"<a class=\"next\" rel=\"next\" href=\"{Href(pages[index + 1].FileName)}\">{E(pages[index + 1].Title)} →</a>\n");
        }

        html.Append("</nav>\n</main>\n");
        if (math)
        {
            html.Append("""
                <script src="assets/katex/katex.min.js"></script>
                <script src="assets/katex/auto-render.js"></script>
                <script>
                document.querySelectorAll('main .math').forEach(function (e) {
                  renderMathInElement(e, { delimiters: [
                    { left: '\\[', right: '\\]', display: true },
                    { left: '\\(', right: '\\)', display: false } ], throwOnError: false });
                });
                </script>

                """);
        }

        html.Append("</body>\n</html>\n");
        File.WriteAllText(Path.Combine(site, page.FileName), html.ToString(), new UTF8Encoding(false));
    }

    private bool CopyKatex(string site)
    {
        var files = new[] { "katex.min.js", "katex.min.css", Path.Combine("contrib", "auto-render.js") };
        if (!files.All(f => File.Exists(Path.Combine(KatexFolder, f))) || !Directory.Exists(Path.Combine(KatexFolder, "fonts")))
        {
            warn?.Invoke($"KaTeX not found in {KatexFolder} (install it with `apt-get install -y libjs-katex`): math is left as TeX text.");
            return false;
        }

        var target = Path.Combine(site, "assets", "katex");
        Directory.CreateDirectory(Path.Combine(target, "fonts"));
        foreach (var file in files)
        {
            File.Copy(Path.Combine(KatexFolder, file), Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }

        foreach (var font in Directory.GetFiles(Path.Combine(KatexFolder, "fonts")))
        {
            File.Copy(font, Path.Combine(target, "fonts", Path.GetFileName(font)), overwrite: true);
        }

        return true;
    }

    private static void CopyImages(string root, string site)
    {
        var images = Path.Combine(root, "img");
        if (!Directory.Exists(images))
        {
            return;
        }

        Directory.CreateDirectory(Path.Combine(site, "img"));
        foreach (var image in Directory.GetFiles(images).Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".svg", StringComparison.OrdinalIgnoreCase)))
        {
            File.Copy(image, Path.Combine(site, "img", Path.GetFileName(image)), overwrite: true);
        }
    }

    private const string Css = """
        body { margin: 0; display: flex; font: 16px/1.55 system-ui, sans-serif; color: #1f2328; }
        nav.sidebar { flex: 0 0 16rem; padding: 1rem; background: #f6f8fa; border-right: 1px solid #d0d7de; min-height: 100vh; box-sizing: border-box; }
        nav.sidebar .home { font-weight: 600; display: block; margin-bottom: .75rem; }
        nav.sidebar ol { padding-left: 1.2rem; margin: 0; font-size: .9rem; }
        nav.sidebar .current { font-weight: 600; }
        main { flex: 1; max-width: 60rem; padding: 1rem 2rem 4rem; overflow-x: auto; }
        a { color: #0969da; }
        table { border-collapse: collapse; margin: 1rem 0; }
        th, td { border: 1px solid #d0d7de; padding: .25rem .6rem; }
        section.code > div > pre, section.code > pre:not(.output) { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: .75rem; overflow-x: auto; font-size: .85rem; }
        pre.output { border-left: 3px solid #8c959f; padding: .25rem .75rem; margin: .5rem 0 1rem; overflow-x: auto; font-size: .85rem; }
        pre.stderr, pre.error { border-left-color: #cf222e; }
        div.output { margin: .5rem 0 1rem; overflow-x: auto; }
        img { max-width: 100%; height: auto; }
        nav.pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem; border-top: 1px solid #d0d7de; padding-top: 1rem; }

        """;
}
