using Studying.DeepLearning.Benchmarks;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.Benchmarks;

/// <summary>The benchmarks' bare loop checks the model's logits and the source's targets before cross_entropy.</summary>
[Trait("Tier", "unit")]
public class BareTrainingLoopInputTests
{
    public BareTrainingLoopInputTests() => TorchRuntime.EnsureLoaded();

    private static ArraySource Source(long[] targets, int classes) =>
        new([.. targets.Select((_, i) => new float[] { i, 1 - i })], targets, 2, [.. Enumerable.Range(0, classes).Select(c => $"c{c}")]);

    [Fact]
    public void TrainEpoch_ModelWithWrongClassCount_Throws_NamingTheBatchAndShapes()
    {
        using var model = new TinyMlp(2, 4, 5, seed: 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var e = Assert.Throws<ArgumentException>(() => BareTrainingLoop.TrainEpoch(model, optimizer, Source([0, 1, 1, 0], classes: 2), seed: 0, device: CPU));
        Assert.Equal("model", e.ParamName);
        Assert.Contains("batch 1 has shape [2, 5], but logits [2, 2] were expected", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainEpoch_TargetOutsideTheClasses_Throws_NamingTheClassIndex()
    {
        using var model = new TinyMlp(2, 4, 2, seed: 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var e = Assert.Throws<ArgumentException>(() => BareTrainingLoop.TrainEpoch(model, optimizer, Source([0, 9, 1, 0], classes: 2), seed: 0, device: CPU));
        Assert.Equal("source", e.ParamName);
        Assert.Contains("Batch 1 holds class index 9, but the source has 2 classes (0–1)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainEpoch_GoodInput_StillTrains()
    {
        using var model = new TinyMlp(2, 4, 2, seed: 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var (loss, correct) = BareTrainingLoop.TrainEpoch(model, optimizer, Source([0, 1, 1, 0], classes: 2), seed: 0, device: CPU);
        Assert.True(double.IsFinite(loss) && loss > 0);
        Assert.InRange(correct, 0, 4);
    }
}
