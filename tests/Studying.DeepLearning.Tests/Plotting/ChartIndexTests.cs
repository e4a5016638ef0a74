using System.Net;
using System.Text.RegularExpressions;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Tests.Plotting;

/// <summary>The landing page built from the summaries present (ChartIndex): links, numbers, escaping, problems.</summary>
[Trait("Tier", "unit")]
public sealed partial class ChartIndexTests : IDisposable
{
    private const string Hostile = "</script><script>alert(1)</script>";
    private readonly TempFolder _root = new();

    [Fact]
    public void Write_FromTwoSummaries_LinksEveryChartToAnExistingFile_AndShowsTheNumbersInOrder()
    {
        Touch("basics", "gradient-check.html");
        Touch("gd", "GD.html", "learning-rates.html");
        // Written out of order: the page orders by Order, not by folder name or writing time.
        ChartIndex.WriteSummary(_root.Path, new ChartIndexSection("gd", "Chapter 1 — Gradient descent")
        {
            Order = 1,
            Numbers = [new("fitted slope a", "1.99999999999985"), new("learning rate η = 0.25", "divergent")],
            Charts = [new("GD.html", "Gradient descent on J(a)"), new("learning-rates.html", "The learning rate decides")],
        });
        ChartIndex.WriteSummary(_root.Path, new ChartIndexSection("basics", "Chapter 2 — TorchSharp basics")
        {
            Order = 2,
            Numbers = [new("gradient check, largest error", "4E-10")],
            Charts = [new("gradient-check.html", "Autograd vs central differences")],
        });

        var result = ChartIndex.Write(_root.Path, "Results");
        var html = File.ReadAllText(result.Path);

        Assert.Equal(Path.Combine(_root.Path, "index.html"), result.Path);
        Assert.Empty(result.Contents.Problems);
        var links = Links(html).Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(["gd/GD.html", "gd/learning-rates.html", "basics/gradient-check.html"], links);
        Assert.All(links, link => Assert.True(File.Exists(Path.Combine(_root.Path, Uri.UnescapeDataString(link))), link));
        Assert.Contains("<a href=\"gd/GD.html\">Gradient descent on J(a)</a>", html, StringComparison.Ordinal);
        Assert.Contains("1.99999999999985", html, StringComparison.Ordinal);
        Assert.Contains("4E-10", html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode("learning rate η = 0.25"), html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("Chapter 1", StringComparison.Ordinal) < html.IndexOf("Chapter 2", StringComparison.Ordinal));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase); // the page needs no script at all
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);                     // and nothing from the network
    }

    [Fact]
    public void Write_AfterASecondSectionIsAdded_KeepsTheFirst()
    {
        Touch("gd", "GD.html");
        ChartIndex.WriteSummary(_root.Path, new ChartIndexSection("gd", "Chapter 1") { Charts = [new("GD.html", "GD")] });
        ChartIndex.Write(_root.Path, "Results");
        Touch("resnet", "parameters.html");
        ChartIndex.WriteSummary(_root.Path, new ChartIndexSection("resnet", "Chapter 4") { Order = 4, Charts = [new("parameters.html", "Parameters")] });

        var html = File.ReadAllText(ChartIndex.Write(_root.Path, "Results").Path);

        Assert.Equal(["gd/GD.html", "resnet/parameters.html"], Links(html).Where(l => !l.StartsWith('#')));
    }

    [Fact]
    public void Write_HostileTextEverywhere_IsEscapedAndNeverMarkup()
    {
        // '&', a space and an apostrophe in folder and file names (legal on every system).
        const string folder = "a b&c";
        const string file = "it's x & y.html";
        Touch(folder, file);
        ChartIndex.WriteSummary(_root.Path, new ChartIndexSection(folder, Hostile)
        {
            Description = "<img src=x onerror=alert(2)>",
            Numbers = [new(Hostile, "\"><script>alert(3)</script>")],
            Charts = [new(file, Hostile + " & more")],
        });

        var html = File.ReadAllText(ChartIndex.Write(_root.Path, Hostile).Path);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</a>", html, StringComparison.Ordinal);
        Assert.Contains("&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;", html, StringComparison.Ordinal);
        var link = Assert.Single(Links(html), l => !l.StartsWith('#'));
        Assert.Equal("a%20b%26c/it%27s%20x%20%26%20y.html", link);
        Assert.True(File.Exists(Path.Combine(_root.Path, Uri.UnescapeDataString(link).Replace('/', Path.DirectorySeparatorChar))));

        // The summary on disk is inert too: the serialiser escapes < > & " in strings.
        var summary = File.ReadAllText(Path.Combine(_root.Path, folder, ChartIndex.SummaryFileName));
        Assert.DoesNotContain("<", summary, StringComparison.Ordinal);
        Assert.Contains("\\u003C/script\\u003E", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ChartFileMissing_ListsItWithoutALink()
    {
        Touch("gd", "GD.html");
        ChartIndex.WriteSummary(_root.Path, new ChartIndexSection("gd", "Chapter 1")
        {
            Charts = [new("GD.html", "Present"), new("deleted.html", "Deleted chart")],
        });

        var html = File.ReadAllText(ChartIndex.Write(_root.Path, "Results").Path);

        Assert.Equal(["gd/GD.html"], Links(html).Where(l => !l.StartsWith('#')));
        Assert.Contains("Deleted chart <span class=\"missing\">(deleted.html is missing", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_CorruptOrHostileSummary_BecomesAProblemLineOnThePage_AndTheOtherSectionsStay()
    {
        Touch("gd", "GD.html");
        ChartIndex.WriteSummary(_root.Path, new ChartIndexSection("gd", "Chapter 1") { Charts = [new("GD.html", "GD")] });
        Directory.CreateDirectory(Path.Combine(_root.Path, "broken"));
        File.WriteAllText(Path.Combine(_root.Path, "broken", ChartIndex.SummaryFileName), "{\"title\": \"cut off");
        Directory.CreateDirectory(Path.Combine(_root.Path, "escape"));
        File.WriteAllText(Path.Combine(_root.Path, "escape", ChartIndex.SummaryFileName),
            "{\"folder\":\"escape\",\"title\":\"Escape\",\"charts\":[{\"file\":\"../../etc/passwd\",\"title\":\"t\"}]}");

        var result = ChartIndex.Write(_root.Path, "Results");
        var html = File.ReadAllText(result.Path);

        Assert.Equal(["escape", "gd"], result.Contents.Sections.Select(s => s.Folder));
        Assert.Equal(2, result.Contents.Problems.Count);
        Assert.StartsWith("broken/summary.json: could not be read", result.Contents.Problems[0], StringComparison.Ordinal);
        Assert.Contains("re-run the command that wrote 'broken'", result.Contents.Problems[0], StringComparison.Ordinal);
        Assert.StartsWith("escape/summary.json: chart '../../etc/passwd' is not a plain file name", result.Contents.Problems[1], StringComparison.Ordinal);
        Assert.Equal(["gd/GD.html"], Links(html).Where(l => !l.StartsWith('#')));
        Assert.Contains("Summaries that could not be used", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("")]
    public void WriteSummary_FolderNotOnePlainName_Throws(string folder)
    {
        var error = Assert.Throws<ArgumentException>(() => ChartIndex.WriteSummary(_root.Path, new ChartIndexSection(folder, "t")));
        Assert.Contains("plain folder name", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.Path));
    }

    [Fact]
    public void WriteSummary_ChartOutsideTheFolder_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ChartIndex.WriteSummary(_root.Path, new ChartIndexSection("gd", "t") { Charts = [new("../index.html", "up")] }));
        Assert.Contains("'../index.html'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _root.Dispose();

    private void Touch(string folder, params string[] files)
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, folder));
        foreach (var file in files)
            File.WriteAllText(Path.Combine(_root.Path, folder, file), "<!DOCTYPE html>");
    }

    /// <summary>The href values, HTML-decoded (so still URL-escaped), in document order.</summary>
    private static IEnumerable<string> Links(string html) =>
        HrefPattern().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value));

    [GeneratedRegex("href=\"([^\"]*)\"")]
    private static partial Regex HrefPattern();
}
