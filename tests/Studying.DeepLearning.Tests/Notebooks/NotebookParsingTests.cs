using Studying.DeepLearning.Notebooks;

namespace Studying.DeepLearning.Tests.Notebooks;

/// <summary>The runner's notebook reading and chart detection, without a kernel.</summary>
[Trait("Tier", "notebook")]
public sealed class NotebookParsingTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("nbrunner-parse-");

    /// <summary>Deletes the temporary notebooks.</summary>
    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>Cell kernels come from polyglot metadata, markdown is recognised, and Jupyter tags survive parsing.</summary>
    [Fact]
    public void ReadNotebook_KeepsKernelNamesAndTags()
    {
        var path = TestNotebook.Write(_folder, "parse.ipynb",
            new TestCell("markdown", "# Title"),
            new TestCell("fsharp", "1", "chart", "other"),
            new TestCell("csharp", "2"));

        var elements = NotebookRunner.ReadNotebook(path).Elements;

        Assert.Equal(["markdown", "fsharp", "csharp"], elements.Select(e => e.KernelName));
        Assert.Equal(["chart", "other"], NotebookRunner.GetTags(elements[1]));
        Assert.Empty(NotebookRunner.GetTags(elements[2]));
    }

    /// <summary>What counts as a Plotly figure in a text/html display.</summary>
    [Theory]
    [InlineData("<div id=\"x\"></div><script>Plotly.newPlot('x',[])</script>", true)]
    [InlineData("<div class=\"c\" id='p1'></div><script type=\"text/javascript\">Plotly.react(\"p1\", data)</script>", true)]
    [InlineData("<div id=\"x\"></div>", false)]
    [InlineData("<script>Plotly.newPlot('x',[])</script>", false)]
    [InlineData("<table><tr><td>plotly</td></tr></table>", false)]
    public void PlotlyHtml_RecognisesFigures(string html, bool expected) => Assert.Equal(expected, PlotlyHtml.IsFigure(html));
}
