using Studying.DeepLearning.TorchBasics;

namespace Studying.DeepLearning.Tests.TorchBasics;

[Trait("Tier", "unit")]
public class LossFunctionTests
{
    private static readonly double[][] Predictions = [[2.5, -0.3, 0.8, 4.0, -2.2], [0.0], [-7.5, 3.25, 0.5, 1e-3]];
    private static readonly double[][] Targets = [[3.0, 0.1, 0.8, 1.0, -0.5], [0.4], [-7.0, 0.0, 1.5, 0.0]];

    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    public static TheoryData<LossReduction> Reductions => new(LossReduction.Mean, LossReduction.Sum);

    [Theory]
    [MemberData(nameof(Reductions))]
    public void RegressionLosses_MatchTheClosedForms(LossReduction r)
    {
        for (var k = 0; k < Predictions.Length; k++)
        {
            var (p, y) = (Predictions[k], Targets[k]);
            Close(ClosedFormLoss.MeanSquaredError(p, y, r), TorchLoss.MeanSquaredError(p, y, r));
            Close(ClosedFormLoss.L1(p, y, r), TorchLoss.L1(p, y, r));
            foreach (var delta in new[] { 0.3, 1.0, 2.5 })
                Close(ClosedFormLoss.Huber(p, y, delta, r), TorchLoss.Huber(p, y, delta, r));
            foreach (var beta in new[] { 0.0, 0.3, 1.0, 2.5 })
                Close(ClosedFormLoss.SmoothL1(p, y, beta, r), TorchLoss.SmoothL1(p, y, beta, r));
        }
    }

    [Fact]
    public void RegressionLosses_EqualHandComputedValues()
    {
        // d = [−0.5, −0.4, 0, 3, −1.7]
        double[] p = [2.5, -0.3, 0.8, 4.0, -2.2], y = [3.0, 0.1, 0.8, 1.0, -0.5];
        Close((0.25 + 0.16 + 0 + 9 + 2.89) / 5, TorchLoss.MeanSquaredError(p, y));
        Close(0.25 + 0.16 + 0 + 9 + 2.89, TorchLoss.MeanSquaredError(p, y, LossReduction.Sum));
        Close((0.5 + 0.4 + 0 + 3 + 1.7) / 5, TorchLoss.L1(p, y));
        // Huber δ = 1: ½d² for |d| ≤ 1, |d| − ½ beyond.
        Close(0.125 + 0.08 + 0 + 2.5 + 1.2, TorchLoss.Huber(p, y, 1, LossReduction.Sum));
        // Huber δ equals δ × smooth L1 with β = δ.
        Close(2 * TorchLoss.SmoothL1(p, y, 2), TorchLoss.Huber(p, y, 2));
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void ClassificationLosses_MatchTheClosedForms(LossReduction r)
    {
        double[] probabilities = [0.9, 0.2, 0.5, 0.999, 0.01, 0.0, 1.0], labels = [1, 0, 1, 0, 1, 0, 0.3];
        Close(ClosedFormLoss.BinaryCrossEntropy(probabilities, labels, r), TorchLoss.BinaryCrossEntropy(probabilities, labels, r));
        double[] logits = [2.0, -1.5, 0.0, 7.0, -4.0, 30, -0.25];
        Close(ClosedFormLoss.BinaryCrossEntropyWithLogits(logits, labels, r), TorchLoss.BinaryCrossEntropyWithLogits(logits, labels, r));

        var scores = new double[,] { { 2.0, 0.5, -1.0 }, { 0.1, 0.2, 0.3 }, { -3.0, 4.0, 1.0 }, { 10.0, -10.0, 0.0 } };
        int[] classes = [0, 2, 1, 2];
        Close(ClosedFormLoss.CrossEntropy(scores, classes, r), TorchLoss.CrossEntropy(scores, classes, r));
        var logProbabilities = LossFunctionGallery.LogSoftmax(scores);
        Close(ClosedFormLoss.NegativeLogLikelihood(logProbabilities, classes, r), TorchLoss.NegativeLogLikelihood(logProbabilities, classes, r));
        // Cross-entropy is log_softmax followed by NLL.
        Close(TorchLoss.CrossEntropy(scores, classes, r), TorchLoss.NegativeLogLikelihood(logProbabilities, classes, r));
    }

    [Fact]
    public void ClassificationLosses_EqualHandComputedValues()
    {
        Close(-Math.Log(0.9), TorchLoss.BinaryCrossEntropy([0.9], [1]));
        Close(-Math.Log(0.8), TorchLoss.BinaryCrossEntropy([0.2], [0]));
        Close(100, TorchLoss.BinaryCrossEntropy([0.0], [1])); // log 0 clamped at −100
        Close(Math.Log(2), TorchLoss.BinaryCrossEntropyWithLogits([0.0], [1]));
        Close(Math.Log(1 + Math.Exp(-2)), TorchLoss.BinaryCrossEntropyWithLogits([2.0], [1]));
        Close(Math.Log(3), TorchLoss.CrossEntropy(new double[,] { { 0.5, 0.5, 0.5 } }, [2]));
        Close((Math.Log(3) + Math.Log(1 + 2 * Math.Exp(-1))) / 2, TorchLoss.CrossEntropy(new double[,] { { 0, 0, 0 }, { 1, 0, 0 } }, [1, 0]));
        Close(0.7 + 1.2, TorchLoss.NegativeLogLikelihood(new double[,] { { -0.7, -2 }, { -0.1, -1.2 } }, [0, 1], LossReduction.Sum));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(-100)]
    [InlineData(1000)]
    [InlineData(-1000)]
    public void LogitLosses_AreFiniteAndExactAtExtremeLogits(double z)
    {
        // The true values: softplus(z) for target 0, softplus(−z) for target 1; softplus(t) = t + log(1 + e^−t) ≈ max(t, 0).
        double Softplus(double t) => Math.Max(t, 0) + Math.Log(1 + Math.Exp(-Math.Abs(t)));
        Close(Softplus(z), TorchLoss.BinaryCrossEntropyWithLogits([z], [0]));
        Close(Softplus(-z), TorchLoss.BinaryCrossEntropyWithLogits([z], [1]));
        Close(Math.Abs(z), Math.Max(TorchLoss.BinaryCrossEntropyWithLogits([z], [0]), TorchLoss.BinaryCrossEntropyWithLogits([z], [1])));
        // Three classes with logits [z, −z, 0]: true class 1 costs log(e^z + e^−z + 1) + z ≈ |z| + z.
        var scores = new double[,] { { z, -z, 0 } };
        Close(Math.Abs(z) + z, TorchLoss.CrossEntropy(scores, [1]));
        Close(Math.Abs(z) - z, TorchLoss.CrossEntropy(scores, [0]));
        Close(Math.Abs(z), TorchLoss.CrossEntropy(scores, [2]));
        Assert.True(double.IsFinite(TorchLoss.CrossEntropy(new double[,] { { z, -z }, { -z, z } }, [0, 0], LossReduction.Sum)));
    }

    [Fact]
    public void PlainBceOnSigmoid_SaturatesWhereBceWithLogitsStaysExact()
    {
        var rows = LossFunctionGallery.Stability([20, 40, 1000]);
        foreach (var row in rows)
        {
            var exact = row.Target == 0 ? row.Logit : 0; // softplus(z) − z·y for z ≫ 0
            Close(exact, row.Exact);
            Close(exact, row.WithLogits);
            Close(exact, row.CrossEntropyTwoClass);
            Assert.True(double.IsFinite(row.PlainOnSigmoid) && double.IsFinite(row.PlainOnSigmoidFloat32));
        }
        var wrong = rows.Where(r => r.Target == 0).ToDictionary(r => r.Logit);
        Close(20, wrong[20].PlainOnSigmoid);          // float64 still resolves 1 − σ(20) ≈ 2e−9
        Assert.Equal(100, wrong[20].PlainOnSigmoidFloat32, 3); // float32 σ(20) rounds to 1: log 0 clamped at −100
        Assert.Equal(100, wrong[40].PlainOnSigmoid, 3);        // float64 σ(40) rounds to 1
        Assert.Equal(100, wrong[1000].PlainOnSigmoid, 3);      // the true loss is 1000
    }

    [Fact]
    public void BadInput_IsRejectedWithAClearMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => TorchLoss.MeanSquaredError([1, 2, 3], [1, 2]));
        Assert.Contains("3 values", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TorchLoss.L1([], []));
        Assert.Throws<ArgumentException>(() => TorchLoss.Huber([double.NaN], [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchLoss.Huber([1], [1], delta: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchLoss.SmoothL1([1], [1], beta: -1));

        e = Assert.Throws<ArgumentException>(() => TorchLoss.BinaryCrossEntropy([0.5, 1.2], [1, 0]));
        Assert.Contains("index 1 is 1.2", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TorchLoss.BinaryCrossEntropy([0.5], [-0.1]));
        Assert.Throws<ArgumentException>(() => TorchLoss.BinaryCrossEntropyWithLogits([3], [2]));
        Assert.Throws<ArgumentException>(() => ClosedFormLoss.BinaryCrossEntropy([-0.5], [1]));

        var outOfRange = Assert.Throws<ArgumentOutOfRangeException>(() => TorchLoss.CrossEntropy(new double[,] { { 1, 2, 3 } }, [3]));
        Assert.Contains("[0, 2]", outOfRange.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchLoss.NegativeLogLikelihood(new double[,] { { -1, -2 } }, [-1]));
        e = Assert.Throws<ArgumentException>(() => TorchLoss.CrossEntropy(new double[,] { { 1, 2 }, { 3, 4 } }, [0]));
        Assert.Contains("2 rows", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TorchLoss.CrossEntropy(new double[0, 3], []));
        Assert.Throws<ArgumentException>(() => TorchLoss.CrossEntropy(new double[,] { { 1, double.PositiveInfinity } }, [0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchLoss.MeanSquaredError([1], [1], (LossReduction)7));
    }

    [Fact]
    public void Gallery_ChecksAgreeAndChartsAreDrawn()
    {
        var report = LossFunctionGallery.Run();

        Assert.Equal(16, report.Checks.Count);
        Assert.All(report.Checks, c => Assert.True(c.Difference <= 1e-9 * Math.Max(1, Math.Abs(c.ClosedForm)), $"{c.Loss} {c.Reduction}: {c.TorchSharp} vs {c.ClosedForm}"));
        Assert.Equal(8, report.Losses.Count);
        Assert.Equal(2 * LossFunctionGallery.ExtremeLogits.Count, report.Stability.Count);
        Assert.All(report.Stability, r => Assert.True(double.IsFinite(r.WithLogits) && double.IsFinite(r.CrossEntropyTwoClass)));
        Assert.Equal(["regression-losses", "bce-probability", "bce-logits", "cross-entropy", "logit-saturation"], report.Figures.Keys);
        // MSE at ŷ = 3, target 0 is 9; the L1 curve there is 3.
        var regression = report.Figures["regression-losses"].Traces.Cast<Studying.DeepLearning.Plotting.ScatterTrace>().ToArray();
        Assert.Equal(9, regression[0].Y[^1], 12);
        Assert.Equal(3, regression[1].Y[^1], 12);
    }
}
