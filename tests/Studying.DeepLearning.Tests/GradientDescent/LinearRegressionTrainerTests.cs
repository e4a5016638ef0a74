using Studying.DeepLearning.GradientDescent;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Tests.GradientDescent;

[Collection(SeededTorchRandom.Name)] // SameSeed_GivesTheSameFit seeds torch's global generator
[Trait("Tier", "unit")]
public class LinearRegressionTrainerTests
{
    [Fact]
    public void StandardisedHousePrices_ConvergeToTheLeastSquaresSolution()
    {
        var data = RegressionDataSets.HousePrices(300, seed: 7);
        var scaler = Standardizer.Fit(data.Features);
        var scaled = new RegressionData(data.FeatureNames, scaler.Transform(data.Features), data.Targets, data.TargetName);

        var run = LinearRegressionTrainer.Fit(scaled, new LinearTrainingOptions(0.1, 800));
        var fitted = scaler.ToOriginalUnits(run.Model);
        var exact = LeastSquares.Fit(data.Features, data.Targets);

        Assert.False(run.Diverged);
        for (var j = 0; j < exact.Weights.Count; j++)
            Assert.True(Math.Abs(fitted.Weights[j] - exact.Weights[j]) <= 1e-6 * Math.Abs(exact.Weights[j]), $"weight {j}: {fitted.Weights[j]} vs {exact.Weights[j]}");
        Assert.Equal(exact.Bias, fitted.Bias, 1e-6 * Math.Abs(exact.Bias));
    }

    [Fact]
    public void RawHousePrices_DivergeAndAreStoppedWithAReason()
    {
        var data = RegressionDataSets.HousePrices(200, seed: 7);

        var run = LinearRegressionTrainer.Fit(data, new LinearTrainingOptions(0.01, 1000));

        Assert.True(run.Diverged);
        Assert.NotNull(run.Divergence);
        Assert.True(run.Losses.Count < 100, $"kept training for {run.Losses.Count} steps");
        Assert.Contains("Scale the features", run.Divergence.Reason, StringComparison.Ordinal);
        Assert.All(run.Model.Weights, w => Assert.True(double.IsFinite(w)));
    }

    [Fact]
    public void OneStep_MatchesTheHandComputedSgdUpdate()
    {
        // From w = w0, b = b0 one SGD step on the MSE moves by −η·(2/n)·Xᵀ(Xw + b − y) — compare with TorchSharp's step.
        var data = new RegressionData(["x1", "x2"], new double[,] { { 1, 2 }, { 3, -1 }, { 0.5, 0.5 } }, [1, 2, 3], "y");
        var start = LinearRegressionTrainer.Fit(data, new LinearTrainingOptions(1e-300, 1, Seed: 3)).Model;
        var stepped = LinearRegressionTrainer.Fit(data, new LinearTrainingOptions(0.1, 1, Seed: 3)).Model;

        var residuals = Enumerable.Range(0, 3).Select(i => start.Predict([data.Features[i, 0], data.Features[i, 1]]) - data.Targets[i]).ToArray();
        for (var j = 0; j < 2; j++)
        {
            var gradient = 2.0 / 3 * Enumerable.Range(0, 3).Sum(i => data.Features[i, j] * residuals[i]);
            Assert.Equal(start.Weights[j] - 0.1 * gradient, stepped.Weights[j], 12);
        }
        Assert.Equal(start.Bias - 0.1 * 2.0 / 3 * residuals.Sum(), stepped.Bias, 12);
    }

    [Fact]
    public void SameSeed_GivesTheSameFit()
    {
        var data = RegressionDataSets.Quadratic(100, seed: 2);
        var a = LinearRegressionTrainer.Fit(data, new LinearTrainingOptions(0.1, 50, Seed: 11));
        var b = LinearRegressionTrainer.Fit(data, new LinearTrainingOptions(0.1, 50, Seed: 11));

        Assert.Equal(a.Model.Weights, b.Model.Weights);
        Assert.Equal(a.Losses, b.Losses);
    }

    [Fact]
    public void NonPositiveLearningRate_IsRejectedBeforeAnyNativeCall()
    {
        var data = RegressionDataSets.Quadratic(10, seed: 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearRegressionTrainer.Fit(data, new LinearTrainingOptions(-1, 10)));
    }
}
