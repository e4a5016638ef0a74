using Studying.DeepLearning.Classification;

namespace Studying.DeepLearning.Tests.Classification;

[Trait("Tier", "unit")]
public class LogisticRegressionTests
{
    private static readonly IReadOnlyList<double> X = LogisticRegressionTrainer.Hours;
    private static readonly IReadOnlyList<double> Y = LogisticRegressionTrainer.Passed;

    [Fact]
    public void TorchSharpRun_EqualsTheSameGradientStepsInPlainCSharp()
    {
        var run = LogisticRegressionTrainer.Fit(X, Y, new LogisticRegressionOptions(Epochs: 300, Seed: 3));
        var (w, b) = LogisticRegressionReference.GradientDescent(X, Y, run.InitialWeight, run.InitialBias, 0.1, 300);
        Assert.Equal(w, run.Weight, 12);
        Assert.Equal(b, run.Bias, 12);
        Assert.Equal(301, run.Losses.Count);
        Assert.Equal(LogisticRegressionReference.Loss(X, Y, run.InitialWeight, run.InitialBias), run.Losses[0], 14);
        Assert.Equal(LogisticRegressionReference.Loss(X, Y, w, b), run.FinalLoss, 12);
    }

    [Fact]
    public void TrainedModel_FailsOneHour_PassesSevenHours_WithTheBoundaryBetweenTwoAndThree()
    {
        var run = LogisticRegressionTrainer.Fit(X, Y, new LogisticRegressionOptions());
        Assert.True(run.PassProbabilityAt1Hour < 0.1, $"p(1 h) = {run.PassProbabilityAt1Hour}");
        Assert.True(run.PassProbabilityAt7Hours > 0.99, $"p(7 h) = {run.PassProbabilityAt7Hours}");
        Assert.InRange(run.DecisionBoundary, 2.0, 3.0);
        Assert.Equal(0.5, run.Probability(run.DecisionBoundary), 12);
        Assert.True(run.FinalLoss < run.Losses[0]);
    }

    [Fact]
    public void SeparableData_HaveNoFiniteMinimum_TheUnpenalisedLossKeepsFallingAsTheWeightGrows()
    {
        // Along w·(x − 2.5) the loss tends to 0 as w → ∞, and its gradient never vanishes.
        var losses = new[] { 1.0, 10, 100 }.Select(w => LogisticRegressionReference.Loss(X, Y, w, -2.5 * w)).ToArray();
        Assert.True(losses[0] > losses[1] && losses[1] > losses[2] && losses[2] > 0);
        Assert.InRange(losses[2] / (Math.Exp(-50) / 2), 1 - 1e-12, 1 + 1e-12); // two points at |z| = 50, two at 150: mean softplus(−|z|) ≈ 2e^−50 / 4
        var run = LogisticRegressionTrainer.Fit(X, Y, new LogisticRegressionOptions());
        var (gw, gb) = LogisticRegressionReference.Gradient(X, Y, run.Weight, run.Bias);
        Assert.True(Math.Abs(gw) + Math.Abs(gb) > 1e-3, "the unpenalised run cannot have reached a stationary point");
    }

    [Fact]
    public void PenalisedRun_ConvergesToNewtonsMinimiser()
    {
        var newton = LogisticRegressionReference.Newton(X, Y, 0.01);
        Assert.True(newton.GradientNorm < 1e-14);
        var run = LogisticRegressionTrainer.Fit(X, Y, new LogisticRegressionOptions(LearningRate: 1, Epochs: 3000, L2: 0.01));
        Assert.Equal(newton.Weight, run.Weight, 9);
        Assert.Equal(newton.Bias, run.Bias, 9);
        var (gw, gb) = LogisticRegressionReference.Gradient(X, Y, run.Weight, run.Bias, 0.01);
        Assert.True(Math.Abs(gw) + Math.Abs(gb) < 1e-9);
    }

    [Fact]
    public void ReferenceGradient_MatchesFiniteDifferencesOfTheLoss()
    {
        foreach (var (w, b, l2) in new[] { (0.3, -0.2, 0.0), (2.0, -5.0, 0.01), (-1.0, 4.0, 0.5) })
        {
            const double h = 1e-6;
            var (gw, gb) = LogisticRegressionReference.Gradient(X, Y, w, b, l2);
            Assert.Equal((LogisticRegressionReference.Loss(X, Y, w + h, b, l2) - LogisticRegressionReference.Loss(X, Y, w - h, b, l2)) / (2 * h), gw, 8);
            Assert.Equal((LogisticRegressionReference.Loss(X, Y, w, b + h, l2) - LogisticRegressionReference.Loss(X, Y, w, b - h, l2)) / (2 * h), gb, 8);
        }
        // softplus form = −[y log σ + (1 − y) log(1 − σ)] where the latter is accurate.
        var naive = X.Select((x, i) => { var p = 1 / (1 + Math.Exp(-(0.5 * x - 1))); return -(Y[i] * Math.Log(p) + (1 - Y[i]) * Math.Log(1 - p)); }).Average();
        Assert.Equal(naive, LogisticRegressionReference.Loss(X, Y, 0.5, -1), 14);
    }

    [Fact]
    public void BadInput_IsRejectedBeforeTraining()
    {
        Assert.Contains("0 or 1", Assert.Throws<ArgumentException>(() => LogisticRegressionTrainer.Fit(X, [0, 0.5, 1, 1], new LogisticRegressionOptions())).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => LogisticRegressionTrainer.Fit(X, [0, 1], new LogisticRegressionOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => LogisticRegressionTrainer.Fit(X, Y, new LogisticRegressionOptions(LearningRate: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => LogisticRegressionTrainer.Fit(X, Y, new LogisticRegressionOptions(Epochs: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => LogisticRegressionReference.Newton(X, Y, 0));
    }

    [Fact]
    public void HoursMlp_Has52Parameters_AndLearnsTheData()
    {
        foreach (var activation in new[] { MlpActivation.ReLU, MlpActivation.LeakyReLU })
        {
            var run = HoursMlp.Fit(X, Y, new HoursMlpOptions(activation, Epochs: 1000));
            Assert.Equal((1 * 5 + 5) + (5 * 5 + 5) + (5 * 2 + 2), run.ParameterCount);
            Assert.True(run.FinalLoss < 0.1 * run.Losses[0], $"{activation}: loss {run.Losses[0]} → {run.FinalLoss}");
            Assert.True(run.PassProbabilityAt1Hour < 0.5 && run.PassProbabilityAt7Hours > 0.5, $"{activation}: p(1 h) = {run.PassProbabilityAt1Hour}, p(7 h) = {run.PassProbabilityAt7Hours}");
            Assert.Equal(run.GridPassProbability[10], run.PassProbabilityAt1Hour);
            Assert.All(run.GridPassProbability, p => Assert.InRange(p, 0, 1));
        }
    }
}
