using Studying.DeepLearning.Classification;

namespace Studying.DeepLearning.Tests.Classification;

[Trait("Tier", "unit")]
public class TabularDataTests
{
    [Theory]
    [InlineData(TabularSample.Iris, 150, 4, new[] { 50, 50, 50 })]
    [InlineData(TabularSample.Wine, 178, 13, new[] { 59, 71, 48 })]
    [InlineData(TabularSample.BreastCancer, 569, 30, new[] { 212, 357 })]
    public void Load_EmbeddedSets_HaveTheirPublishedSizesAndClassCounts(TabularSample sample, int rows, int features, int[] perClass)
    {
        var data = TabularCsv.Load(sample);
        Assert.Equal((rows, features), (data.Count, data.FeatureCount));
        Assert.Equal(perClass, data.ClassCounts());
    }

    [Fact]
    public void Load_Iris_FirstRowAndClassNames()
    {
        var iris = TabularCsv.Load(TabularSample.Iris);
        Assert.Equal(["setosa", "versicolor", "virginica"], iris.ClassNames);
        Assert.Equal([5.1, 3.5, 1.4, 0.2], Enumerable.Range(0, 4).Select(j => iris.Features[0, j]));
        Assert.Equal(0, iris.Labels[0]);
    }

    [Theory]
    [InlineData("2,2,a,b\n1,2,0\n3,4\n", "line 3: 2 values")]
    [InlineData("2,2,a,b\n1,2,0\n3,x,1\n", "line 3, column 2: 'x' is not a finite number")]
    [InlineData("2,2,a,b\n1,2,0\n3,4,2\n", "line 3, column 3: label '2' is not a class index 0–1")]
    [InlineData("2,2,a,b\n1,2,0\n", "announces 2 rows but the file has 1")]
    [InlineData("2,2,a,b\n1,2,0\n1,2,1\n1,2,1\n", "line 4: more data rows")]
    [InlineData("two,2,a,b\n", "line 1")]
    [InlineData("", "empty")]
    public void Parse_BadCsv_NamesTheLine(string text, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => TabularCsv.Parse(new StringReader(text), "bad.csv"));
        Assert.Contains("bad.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_IsStratifiedSeededAndStandardisedOnTrainingOnly()
    {
        var wine = TabularCsv.Load(TabularSample.Wine);
        var split = TabularSplit.Create(wine, 0.15, 0.15, seed: 3);

        // Per class: round(n·0.15) test, round(n·0.15) validation, the rest train (59→9/9/41, 71→11/11/49, 48→7/7/34).
        Assert.Equal([41, 49, 34], split.Balance[0].PerClass);
        Assert.Equal([9, 11, 7], split.Balance[1].PerClass);
        Assert.Equal([9, 11, 7], split.Balance[2].PerClass);
        Assert.Equal(178, split.Balance.Sum(b => b.Rows));
        Assert.Equal(1.0, split.Balance[0].Fractions.Sum(), 12);

        // Training features: mean 0 and population deviation 1; the scaler holds the raw training statistics.
        for (var j = 0; j < wine.FeatureCount; j++)
        {
            var column = Enumerable.Range(0, split.Train.Count).Select(i => split.Train.Features[i, j]).ToArray();
            Assert.Equal(0, column.Average(), 10);
            Assert.Equal(1, Math.Sqrt(column.Select(v => v * v).Average()), 10);
        }
        // The validation rows are scaled with the training statistics, not their own (their mean is not exactly 0).
        var validationMean = Enumerable.Range(0, split.Validation.Count).Average(i => split.Validation.Features[i, 0]);
        Assert.NotEqual(0, validationMean, 6);

        var again = TabularSplit.Create(wine, 0.15, 0.15, seed: 3);
        Assert.Equal(split.Test.Labels, again.Test.Labels);
        Assert.NotEqual(split.Test.Labels, TabularSplit.Create(wine, 0.15, 0.15, seed: 4).Test.Labels);
    }

    [Fact]
    public void Split_EveryRowLandsInExactlyOneSplit()
    {
        var iris = TabularCsv.Load(TabularSample.Iris);
        var split = TabularSplit.Create(iris, 0.2, 0.2, seed: 1);
        // Undo the standardisation and compare the rows (as text) with the original rows.
        string Key(double[,] f, int i) => string.Join(",", Enumerable.Range(0, 4).Select(j => Math.Round(f[i, j], 6)));
        string Raw(TabularDataSet d, int i) => string.Join(",", Enumerable.Range(0, 4).Select(j =>
            Math.Round(d.Features[i, j] * split.Scaler.StandardDeviations[j] + split.Scaler.Means[j], 6)));
        var original = Enumerable.Range(0, iris.Count).Select(i => Key(iris.Features, i) + "|" + iris.Labels[i]).Order().ToArray();
        var parts = new[] { split.Train, split.Validation, split.Test }
            .SelectMany(d => Enumerable.Range(0, d.Count).Select(i => Raw(d, i) + "|" + d.Labels[i])).Order().ToArray();
        Assert.Equal(original, parts);
    }

    [Fact]
    public void TabularBatchSource_CoversEveryRowOncePerEpoch_ReproduciblyShuffled()
    {
        var split = TabularSplit.Create(TabularCsv.Load(TabularSample.Iris), 0.2, 0.2, seed: 1);
        var source = new TabularBatchSource(split.Train, batchSize: 16, shuffle: true, seed: 5);
        List<float> First(int epoch)
        {
            var firsts = new List<float>();
            var labels = new List<long>();
            foreach (var batch in source.GetBatches(epoch))
            {
                using (batch)
                {
                    Assert.Equal(4, batch.Inputs.shape[1]);
                    firsts.AddRange(batch.Inputs.select(1, 0).data<float>().ToArray());
                    labels.AddRange(batch.Targets.data<long>().ToArray());
                }
            }
            Assert.Equal(split.Train.ClassCounts(), Enumerable.Range(0, 3).Select(c => labels.Count(l => l == c)));
            return firsts;
        }
        var one = First(1);
        Assert.Equal(split.Train.Count, one.Count);
        Assert.Equal(Enumerable.Range(0, split.Train.Count).Select(i => (float)split.Train.Features[i, 0]).Order(), one.Order());
        Assert.Equal(one, First(1));
        Assert.NotEqual(one, First(2));
    }
}
