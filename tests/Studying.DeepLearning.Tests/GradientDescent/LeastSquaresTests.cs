using Studying.DeepLearning.GradientDescent;

namespace Studying.DeepLearning.Tests.GradientDescent;

[Trait("Tier", "unit")]
public class LeastSquaresTests
{
    [Fact]
    public void NoiselessData_RecoversTheGeneratingCoefficients()
    {
        var data = RegressionDataSets.Quadratic(200, seed: 3);
        var model = LeastSquares.Fit(data.Features, data.Targets);

        Assert.Equal(2, model.Weights[0], 9);
        Assert.Equal(1, model.Weights[1], 9);
        Assert.Equal(3, model.Bias, 9);
    }

    [Fact]
    public void NoisyData_SatisfiesTheNormalEquations()
    {
        // At the least-squares solution the residual is orthogonal to every column (and to the ones of the bias).
        var data = RegressionDataSets.HousePrices(300, seed: 5);
        var model = LeastSquares.Fit(data.Features, data.Targets);
        int n = data.Count, d = data.Features.GetLength(1);
        var residual = new double[n];
        for (var i = 0; i < n; i++)
        {
            var row = Enumerable.Range(0, d).Select(j => data.Features[i, j]).ToArray();
            residual[i] = data.Targets[i] - model.Predict(row);
        }
        for (var j = 0; j < d; j++)
        {
            var dot = Enumerable.Range(0, n).Sum(i => data.Features[i, j] * residual[i]);
            var scale = Math.Sqrt(Enumerable.Range(0, n).Sum(i => data.Features[i, j] * data.Features[i, j]) * residual.Sum(r => r * r));
            Assert.True(Math.Abs(dot) < 1e-10 * scale, $"column {j}: Xᵀr = {dot}");
        }
        Assert.True(Math.Abs(residual.Sum()) < 1e-6 * Math.Sqrt(n * residual.Sum(r => r * r)));
    }

    [Fact]
    public void NoisyHousePrices_AreCloseToTheTrueWeights()
    {
        var data = RegressionDataSets.HousePrices(2000, seed: 2);
        var model = LeastSquares.Fit(data.Features, data.Targets);

        for (var j = 0; j < model.Weights.Count; j++)
        {
            var truth = RegressionDataSets.HouseTrueWeights[j];
            Assert.True(Math.Abs(model.Weights[j] - truth) < 0.1 * Math.Abs(truth), $"weight {j}: {model.Weights[j]} vs {truth}");
        }
    }

    [Fact]
    public void DependentColumns_AreRejected()
    {
        var features = new double[,] { { 1, 2 }, { 2, 4 }, { 3, 6 }, { 4, 8 } };
        var error = Assert.Throws<ArgumentException>(() => LeastSquares.Fit(features, [1, 2, 3, 4]));
        Assert.Contains("not unique", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RowCountMismatch_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => LeastSquares.Fit(new double[3, 1] { { 1 }, { 2 }, { 3 } }, [1, 2]));
        Assert.Contains("3 rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooFewRows_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => LeastSquares.Fit(new double[,] { { 1, 2 }, { 3, 5 } }, [1, 2]));
    }
}
