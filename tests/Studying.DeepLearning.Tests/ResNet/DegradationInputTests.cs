using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.ResNet;
using Studying.DeepLearning.Tests.Training;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.ResNet;

/// <summary>The degradation experiment's gradient probe checks logits and targets before cross_entropy.</summary>
[Trait("Tier", "unit")]
public class DegradationInputTests
{
    public DegradationInputTests() => TorchRuntime.EnsureLoaded();

    private static ArraySource Source(long[] targets, int classes) =>
        new([.. targets.Select((_, i) => new float[] { i, 1 - i })], targets, 4, [.. Enumerable.Range(0, classes).Select(c => $"c{c}")]);

    [Fact]
    public void GradientNorms_ModelWithFewerOutputsThanClasses_NamesExpectedAndActualShapes()
    {
        // Every target is below 3, so cross_entropy would run silently on the wrong number of classes.
        using var model = new TinyMlp(2, 4, 3, seed: 1);
        var e = Assert.Throws<ArgumentException>(() => DegradationExperiment.GradientNorms(model, Source([0, 1, 2, 0], classes: 10), 4));
        Assert.Equal("model", e.ParamName);
        Assert.Contains("has shape [4, 3], but logits [4, 10] were expected", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GradientNorms_TargetOutsideTheClasses_NamesTheClassIndex()
    {
        // libtorch alone: "Target 7 is out of bounds."
        using var model = new TinyMlp(2, 4, 3, seed: 1);
        var e = Assert.Throws<ArgumentException>(() => DegradationExperiment.GradientNorms(model, Source([0, 7, 2, 1], classes: 3), 4));
        Assert.Equal("source", e.ParamName);
        Assert.Contains("class index 7, but there are 3 classes (0–2)", e.Message, StringComparison.Ordinal);
    }
}
