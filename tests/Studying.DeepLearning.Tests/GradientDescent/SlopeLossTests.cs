using Studying.DeepLearning.GradientDescent;

namespace Studying.DeepLearning.Tests.GradientDescent;

[Trait("Tier", "unit")]
public class SlopeLossTests
{
    private static readonly double[] X = [1, 2, 3];
    private static readonly double[] Y = [2, 4, 6];

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.3)]
    [InlineData(-4.0)]
    [InlineData(7.25)]
    public void Gradient_EqualsCentralFiniteDifference(double slope)
    {
        double[] x = [0.5, -1.5, 2.0, 3.5];
        double[] y = [1.0, -2.0, 4.5, 6.0];
        const double h = 1e-5;
        var numeric = (SlopeLoss.Value(slope + h, x, y) - SlopeLoss.Value(slope - h, x, y)) / (2 * h);

        Assert.Equal(numeric, SlopeLoss.Gradient(slope, x, y), 6);
    }

    [Fact]
    public void Value_MatchesHandComputedMse()
    {
        // a = 1: errors are -1, -2, -3, so J = (1 + 4 + 9) / 3.
        Assert.Equal(14.0 / 3, SlopeLoss.Value(1, X, Y), 12);
    }

    [Fact]
    public void ClosedFormSlope_IsWhereTheGradientVanishes()
    {
        double[] x = [1, 2, 4];
        double[] y = [3, 3.5, 9];
        var best = SlopeLoss.ClosedFormSlope(x, y);

        Assert.Equal((3 + 7 + 36) / 21.0, best, 12);
        Assert.Equal(0, SlopeLoss.Gradient(best, x, y), 12);
    }

    [Fact]
    public void EmptyData_IsRejectedWithAClearMessage()
    {
        var error = Assert.Throws<ArgumentException>(() => SlopeLoss.Value(1, [], []));
        Assert.Contains("empty", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void MismatchedLengths_AreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => SlopeLoss.Gradient(1, [1, 2, 3], [1, 2]));
        Assert.Contains("3 values", error.Message, StringComparison.Ordinal);
        Assert.Contains("2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaNInTheData_IsRejectedWithItsIndex()
    {
        var error = Assert.Throws<ArgumentException>(() => SlopeLoss.Value(1, [1, double.NaN, 3], Y));
        Assert.Contains("index 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllZeroInputs_HaveNoUniqueMinimum()
    {
        Assert.Throws<ArgumentException>(() => SlopeLoss.ClosedFormSlope([0, 0], [1, 2]));
    }
}
