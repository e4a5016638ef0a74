using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Tests.Plotting;

/// <summary>Tests of chart rendering through the Plotly.NET load context (FigureValidationTests).</summary>
[Trait("Tier", "unit")]
public sealed class FigureValidationTests
{
    /// <summary>Invalid figures.</summary>
    public static TheoryData<string, Figure, string> InvalidFigures() => new()
    {
        { "x/y length", new Figure("f", Trace.Line("short", [1, 2, 3], [1, 2])), "'short'" },
        { "NaN x", new Figure("f", Trace.Line("nanx", [1, double.NaN], [1, 2])), "X[1]" },
        { "infinite y", new Figure("f", Trace.Markers("inf", [1, 2], [1, double.PositiveInfinity])), "Y[1]" },
        { "ragged z", new Figure("f", new ContourTrace("ragged", [0, 1, 2], [0, 1], [[0, 1, 2], [3, 4]])), "ragged" },
        { "z rows", new Figure("f", new HeatmapTrace("rows", ["a"], ["r", "s"], [[1]])), "'rows'" },
        { "bar counts", new Figure("f", new BarTrace("bars", ["a", "b"], [1])), "'bars'" },
        { "log range", new Figure("f", Trace.Line("l", [1], [1])) { YAxis = new Axis(Logarithmic: true, Range: (0, 1)) }, "logarithmic" },
        { "reversed range", new Figure("f", Trace.Line("l", [1], [1])) { XAxis = new Axis(Range: (2, 1)) }, "min < max" },
        { "colour", new Figure("f", Trace.Line("red", [1], [1]) with { Color = "red" }), "#RRGGBB" },
        { "size", new Figure("f", Trace.Line("l", [1], [1])) { Width = 0 }, "Width" },
    };

    /// <summary>Invalid figure: throws argument exception: naming the problem.</summary>
    /// <param name="because">What is wrong with the figure.</param>
    /// <param name="figure">The figure.</param>
    /// <param name="expected">Text the message must contain.</param>
    [Theory]
    [MemberData(nameof(InvalidFigures))]
    public void InvalidFigure_ThrowsArgumentException_NamingTheProblem(string because, Figure figure, string expected)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => figure.ToHtml());
        Assert.True(ex.Message.Contains(expected, StringComparison.Ordinal), $"{because}: '{ex.Message}' should mention {expected}");
    }

    /// <summary>Invalid figure: is rejected before anything is written.</summary>
    [Fact]
    public void InvalidFigure_IsRejectedBeforeAnythingIsWritten()
    {
        var path = Path.Combine(Path.GetTempPath(), $"studydl-invalid-{Guid.NewGuid():N}", "chart.html");
        Assert.ThrowsAny<ArgumentException>(() => new Figure("f", Trace.Line("bad", [1], [1, 2])).SaveHtml(path));
        Assert.False(File.Exists(path));
    }

    /// <summary>Save png: with non positive size: throws.</summary>
    [Fact]
    public void SavePng_WithNonPositiveSize_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Figure("f", Trace.Line("l", [1], [1])).SavePng("x.png", 0, 10));
}
