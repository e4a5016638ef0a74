using Studying.DeepLearning.Classification;
using Studying.DeepLearning.ResNet;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Tests.Classification;

/// <summary>Each model's default recipe is the one the README reports over three seeds.</summary>
[Trait("Tier", "unit")]
public sealed class TrainingRecipeTests
{
    [Fact]
    public void For_GivesEachModelItsMeasuredRecipe()
    {
        Assert.Equal(new TrainingRecipe(10, 128, 1e-3, OptimizerKind.Adam, 0, ScheduleKind.Cosine, false), TrainingRecipe.For("softmax"));
        Assert.Equal(new TrainingRecipe(15, 128, 1e-3, OptimizerKind.Adam, 0, ScheduleKind.Cosine, false), TrainingRecipe.For("MLP"));
        Assert.Equal(new TrainingRecipe(10, 128, 2e-3, OptimizerKind.Adam, 0, ScheduleKind.Cosine, false), TrainingRecipe.For(" cnn "));
        foreach (var name in ResNetModels.Names)
            Assert.Same(TrainingRecipe.Residual, TrainingRecipe.For(name));
        Assert.Equal(new TrainingRecipe(30, 128, 0.1, OptimizerKind.Momentum, 5e-4, ScheduleKind.Cosine, true), TrainingRecipe.For("resnet20"));
        Assert.Same(TrainingRecipe.Default, TrainingRecipe.For("inception"));
        Assert.Throws<ArgumentException>(() => TrainingRecipe.For(" "));
    }

    [Fact]
    public void ToOptions_CarriesEverySetting_AndToStringSpellsTheCommandLine()
    {
        var options = TrainingRecipe.Residual.ToOptions("resnet20", "fashion-mnist", 3);
        Assert.Equal(("resnet20", "fashion-mnist", 30, 128, 0.1, 3), (options.Model, options.Dataset, options.Epochs, options.BatchSize, options.LearningRate, options.Seed));
        Assert.Equal((OptimizerKind.Momentum, 5e-4, ScheduleKind.Cosine, true), (options.Optimizer, options.WeightDecay, options.Schedule, options.Augment));
        Assert.Equal("--epochs 10 --batch-size 128 --optimizer adam --lr 0.002 --weight-decay 0 --schedule cosine", TrainingRecipe.Cnn.ToString());
        Assert.EndsWith("--schedule cosine --augment", TrainingRecipe.Residual.ToString(), StringComparison.Ordinal);
    }
}
