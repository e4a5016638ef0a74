using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Tests.Infrastructure;

namespace Studying.DeepLearning.Tests.Classification;

[Collection(SeededTorchRandom.Name)]
[Trait("Tier", "unit")]
public class ClassificationExperimentTests
{
    [Fact]
    public void Iris_WithAnMlp_ClassifiesTheHeldOutTestRowsWell()
    {
        var result = ClassificationExperiment.Run(new ExperimentOptions("mlp", "iris", Epochs: 60, BatchSize: 16, LearningRate: 0.01, Seed: 1));

        // Iris is nearly linearly separable: published classifiers reach ~95 %; chance is 33 %.
        Assert.True(result.TestAccuracy >= 0.85, $"test accuracy {result.TestAccuracy}");
        Assert.Equal(60, result.History.Count);
        Assert.Equal(3, result.Test.ClassNames.Count);
        Assert.Equal(result.Test.SampleCount, result.Test.ConfusionRows.Sum(r => r.Sum()));
        Assert.Contains("confusion-matrix", result.Figures.Keys);
    }

    [Fact]
    public void FashionMnistSubset_TrainsSoftmaxRegressionAboveChance()
    {
        var result = ClassificationExperiment.Run(new ExperimentOptions("softmax", "fashion-mnist", Epochs: 1, BatchSize: 64, LearningRate: 1e-3, Seed: 1)
        {
            TrainLimit = 2000,
            TestLimit = 1000,
        });

        Assert.Equal(7_850, result.Parameters); // 784 × 10 weights + 10 biases
        Assert.Equal(2000, result.TrainSamples);
        Assert.Equal(1000, result.Test.SampleCount);
        Assert.True(result.TestAccuracy > 0.5, $"test accuracy {result.TestAccuracy} (chance is 0.1)");
        Assert.Contains("samples", result.Figures.Keys);
    }

    [Fact]
    public void Resume_ContinuesTheCheckpointedRun_AndEndsWhereTheUninterruptedRunEnds()
    {
        using var folder = new TempFolder();
        ExperimentOptions Options(int epochs) => new("mlp", "wine", Epochs: epochs, BatchSize: 16, LearningRate: 0.01, Seed: 3);

        var whole = ClassificationExperiment.Run(Options(4));
        var first = ClassificationExperiment.Run(Options(2) with { CheckpointFolder = folder.Path });
        var resumed = ClassificationExperiment.Run(Options(4) with { CheckpointFolder = folder.Path, Resume = true });

        Assert.Equal(2, first.History.Count);
        Assert.Equal(4, resumed.History.Count);
        Assert.Equal(first.History.Select(e => e.TrainLoss), resumed.History.Take(2).Select(e => e.TrainLoss));
        Assert.Equal(whole.History.Select(e => e.TrainLoss), resumed.History.Select(e => e.TrainLoss));
        Assert.Equal(whole.TestLoss, resumed.TestLoss);
    }

    [Fact]
    public void Resume_WithoutACheckpoint_SaysWhatIsMissing()
    {
        using var folder = new TempFolder();
        var e = Assert.Throws<ArgumentException>(() => ClassificationExperiment.Run(new ExperimentOptions("mlp", "wine") { CheckpointFolder = folder.Path, Resume = true }));
        Assert.Contains("last.ckpt", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("resnet", "fashion-mnist", "Unknown model 'resnet'")]
    [InlineData("mlp", "imagenet", "Unknown data set 'imagenet'")]
    [InlineData("cnn", "iris", "takes images")]
    public void BadChoices_AreRejectedWithTheValidOnes(string model, string dataset, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ClassificationExperiment.Run(new ExperimentOptions(model, dataset, Epochs: 1)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
