using Studying.DeepLearning.TorchBasics;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Tests.TorchBasics;

[Trait("Tier", "unit")]
public class ManualAutogradTrainingTests
{
    private static readonly double[] X = [1, 2, 3];
    private static readonly double[] Y = [2, 4, 6];

    /// <summary>The same updates in plain C#: g = 2x(xw − y) (summed over all steps when not zeroed), w ← w − η·g.</summary>
    private static List<(double Weight, double Gradient)> Recursion(double w, double rate, int epochs, bool zero)
    {
        var steps = new List<(double, double)>();
        var accumulated = 0.0;
        for (var e = 0; e < epochs; e++)
        {
            for (var i = 0; i < X.Length; i++)
            {
                var g = 2 * X[i] * (X[i] * w - Y[i]);
                accumulated = zero ? g : accumulated + g;
                w -= rate * accumulated;
                steps.Add((w, accumulated));
            }
        }
        return steps;
    }

    [Fact]
    public void ZeroedGradients_MatchTheHandRecursion_AndPredict7Point80()
    {
        var run = ManualAutogradTraining.Train(X, Y, new ManualTrainingOptions());
        var expected = Recursion(1.0, 0.01, 10, zero: true);

        Assert.Equal(30, run.Updates.Count);
        for (var k = 0; k < expected.Count; k++)
        {
            Assert.Equal(expected[k].Weight, run.Updates[k].WeightAfter, 12);
            Assert.Equal(expected[k].Gradient, run.Updates[k].Gradient, 12);
        }
        Assert.Equal(4.0, run.PredictionBefore);
        // Closed form: w − 2 shrinks by (1 − 2η·1)(1 − 2η·4)(1 − 2η·9) per epoch, so predict(4) = 8 − 4·0.739312¹⁰.
        Assert.Equal(8 - 4 * Math.Pow(0.98 * 0.92 * 0.82, 10), run.PredictionAfter, 10);
        Assert.Equal(7.80, run.PredictionAfter, 2);
        Assert.Null(run.Divergence);
        // The first update: loss (1·1 − 2)² = 1, gradient 2·1·(1 − 2) = −2.
        Assert.Equal(1.0, run.Updates[0].Loss, 12);
        Assert.Equal(-2.0, run.Updates[0].Gradient, 12);
    }

    [Fact]
    public void ForgottenZeroing_AccumulatesGradients_AndTrainingGoesWrong()
    {
        var run = ManualAutogradTraining.Train(X, Y, new ManualTrainingOptions(ZeroGradients: false));
        var expected = Recursion(1.0, 0.01, 10, zero: false);

        for (var k = 0; k < expected.Count; k++)
        {
            Assert.Equal(expected[k].Weight, run.Updates[k].WeightAfter, 12);
            Assert.Equal(expected[k].Gradient, run.Updates[k].Gradient, 12);
        }
        // The second gradient is the sum of the first two: −2 + 2·2·(2·w₁ − 4) with w₁ = 1.02.
        Assert.Equal(-2 + 4 * (2 * 1.02 - 4), run.Updates[1].Gradient, 12);
        // w overshoots 2 and swings back: after 10 epochs predict(4) is far from 8 (≈ 11.94), while zeroing gives 7.80.
        Assert.True(Math.Abs(run.PredictionAfter - 8) > 3, $"{run.PredictionAfter}");
        Assert.Contains(run.Updates, u => u.WeightAfter > 2.9);
    }

    [Fact]
    public void LargeRateWithoutZeroing_IsStoppedAsDivergent()
    {
        var run = ManualAutogradTraining.Train(X, Y, new ManualTrainingOptions(LearningRate: 0.1, Epochs: 50, ZeroGradients: false));
        Assert.NotNull(run.Divergence);
        Assert.Contains("never zeroed", run.Divergence.Reason, StringComparison.Ordinal);
        Assert.True(double.IsFinite(run.PredictionAfter));
    }

    [Fact]
    public void BadInput_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ManualAutogradTraining.Train(X, Y, new ManualTrainingOptions(LearningRate: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ManualAutogradTraining.Train(X, Y, new ManualTrainingOptions(LearningRate: -0.1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ManualAutogradTraining.Train(X, Y, new ManualTrainingOptions(Epochs: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ManualAutogradTraining.Train(X, Y, new ManualTrainingOptions(InitialWeight: double.NaN)));
        Assert.Throws<ArgumentException>(() => ManualAutogradTraining.Train(X, [2.0, 4.0], new ManualTrainingOptions()));
        Assert.Throws<ArgumentException>(() => ManualAutogradTraining.Train([], [], new ManualTrainingOptions()));
    }
}
