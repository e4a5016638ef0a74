using Studying.DeepLearning.GradientDescent;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Tests.GradientDescent;

[Trait("Tier", "unit")]
public class SlopeDescentTests
{
    private static readonly double[] X = [1, 2, 3];
    private static readonly double[] Y = [2, 4, 6];

    [Fact]
    public void PerSample_AsNotebook1_1_ReachesTheClosedFormSlope()
    {
        var run = SlopeDescent.Run(X, Y, new DescentOptions(0.01, 100, InitialSlope: 0.3, Mode: UpdateMode.PerSample));

        Assert.False(run.Diverged);
        Assert.Equal(300 + 1, run.Path.Count);
        Assert.Equal(2.0, run.FinalSlope, 9);
        Assert.True(run.FinalLoss < 1e-18, $"loss {run.FinalLoss}");
    }

    [Fact]
    public void FullBatch_ErrorShrinksByTheTheoreticalFactorEachStep()
    {
        // J is quadratic: a(k+1) − a* = (1 − 2ηm)(a(k) − a*), m = mean x² = 14/3.
        const double rate = 0.05;
        var run = SlopeDescent.Run(X, Y, new DescentOptions(rate, 10, InitialSlope: 0));
        var factor = 1 - 2 * rate * 14.0 / 3;

        for (var k = 0; k < run.Path.Count; k++)
            Assert.Equal(-2 * Math.Pow(factor, k), run.Path[k].Slope - 2, 12);
    }

    [Fact]
    public void NoisyData_ConvergesToTheLeastSquaresSlope()
    {
        double[] x = [0.5, 1.0, 1.7, 2.2, 3.1];
        double[] y = [1.2, 1.9, 3.6, 4.1, 6.4];
        var run = SlopeDescent.Run(x, y, new DescentOptions(0.05, 200));

        Assert.Equal(SlopeLoss.ClosedFormSlope(x, y), run.FinalSlope, 10);
    }

    [Fact]
    public void TooLargeRate_IsStoppedAndReportedNotTrainedOnAsNaN()
    {
        var run = SlopeDescent.Run(X, Y, new DescentOptions(1.0, 1000));

        Assert.True(run.Diverged);
        Assert.NotNull(run.Divergence);
        Assert.True(run.Path.Count < 50, $"ran {run.Path.Count} steps after blowing up");
        Assert.Equal(run.Divergence.Step, run.Path[^1].Step);
        Assert.Contains($"step {run.Divergence.Step}", run.Divergence.Reason, StringComparison.Ordinal);
        Assert.True(double.IsFinite(run.FinalSlope));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonPositiveOrNonFiniteRate_IsRejected(double rate)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SlopeDescent.Run(X, Y, new DescentOptions(rate)));
        Assert.Equal("LearningRate", error.ParamName);
    }

    [Fact]
    public void ZeroEpochs_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SlopeDescent.Run(X, Y, new DescentOptions(0.1, 0)));
    }

    [Fact]
    public void Cancellation_StopsTheRun()
    {
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.Throws<OperationCanceledException>(() => SlopeDescent.Run(X, Y, new DescentOptions(), source.Token));
    }
}
