using Studying.DeepLearning.GradientDescent;
using Studying.DeepLearning.Data;

namespace Studying.DeepLearning.Tests.Data;

[Trait("Tier", "unit")]
public class StandardizerTests
{
    [Fact]
    public void Transform_GivesZeroMeanUnitVarianceOnTrainingData()
    {
        var data = RegressionDataSets.HousePrices(100, seed: 4);
        var scaled = Standardizer.Fit(data.Features).Transform(data.Features);

        for (var j = 0; j < scaled.GetLength(1); j++)
        {
            var column = Enumerable.Range(0, scaled.GetLength(0)).Select(i => scaled[i, j]).ToArray();
            var mean = column.Average();
            Assert.Equal(0, mean, 10);
            Assert.Equal(1, column.Sum(v => (v - mean) * (v - mean)) / column.Length, 10);
        }
    }

    [Fact]
    public void UsesTrainingStatisticsOnly()
    {
        var scaler = Standardizer.Fit(new double[,] { { 0 }, { 2 } });
        var test = scaler.Transform(new double[,] { { 10 } });

        Assert.Equal(9, test[0, 0], 12); // (10 − 1) / 1, not re-centred on the test row
    }

    [Fact]
    public void ToOriginalUnits_PreservesEveryPrediction()
    {
        var data = RegressionDataSets.HousePrices(50, seed: 6);
        var scaler = Standardizer.Fit(data.Features);
        var scaled = scaler.Transform(data.Features);
        var model = new LinearModel([1.5, -2, 0.25, 3, -0.5], 7);
        var original = scaler.ToOriginalUnits(model);

        for (var i = 0; i < data.Count; i++)
        {
            var raw = Enumerable.Range(0, 5).Select(j => data.Features[i, j]).ToArray();
            var std = Enumerable.Range(0, 5).Select(j => scaled[i, j]).ToArray();
            Assert.Equal(model.Predict(std), original.Predict(raw), 9);
        }
    }

    [Fact]
    public void ConstantFeature_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Standardizer.Fit(new double[,] { { 1, 5 }, { 2, 5 } }));
        Assert.Contains("Feature 1", error.Message, StringComparison.Ordinal);
    }
}
