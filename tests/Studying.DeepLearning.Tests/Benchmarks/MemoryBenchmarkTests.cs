using Studying.DeepLearning.TorchBasics;
using Studying.DeepLearning.Benchmarks;

namespace Studying.DeepLearning.Tests.Benchmarks;

[Trait("Tier", "unit")]
public class MemoryBenchmarkTests
{
    [Fact]
    public void ScopePerStep_LeavesNoTensorAlive_WithoutScopeEveryStepLeaksTheSameNumber()
    {
        // Counted on the training thread (TorchSharp's per-thread statistics), so tests on other threads cannot disturb it.
        var scoped = MemoryBenchmark.RunVariant(new MemoryBenchmarkOptions(Steps: 6, ScopePerStep: true, BatchSize: 4, CheckStep: 2));
        var unscoped = MemoryBenchmark.RunVariant(new MemoryBenchmarkOptions(Steps: 6, ScopePerStep: false, BatchSize: 4, CheckStep: 2));

        Assert.Equal(6, scoped.StepsRun);
        Assert.All(scoped.Samples.Skip(1), s => Assert.Equal(scoped.Samples[0].LiveTensors, s.LiveTensors));
        Assert.Equal(0, scoped.LiveTensorsPerStep);

        // Without a scope each step leaves at least its input, labels, logits and loss behind, and the same number every step.
        var leaks = unscoped.Samples.Zip(unscoped.Samples.Skip(1), (a, b) => b.LiveTensors - a.LiveTensors).Distinct().ToArray();
        var leak = Assert.Single(leaks);
        Assert.True(leak >= 4, $"{leak} tensors per step");
        Assert.Equal(leak, unscoped.LiveTensorsPerStep);
    }

    [Fact]
    public void Report_ChecksThePeakRatio_AndDrawsBothVariants()
    {
        MemoryVariantResult Variant(bool scope, double early, double final) => new(scope, 200, 200, false, 100, final, early, 20, 0, 0,
            [new MemorySample(1, 100, 0), new MemorySample(2, final, 0)]);

        Assert.True(MemoryBenchmarkReport.From(Variant(true, 300, 329), Variant(false, 300, 900), true).ScopedPeakWithinTenPercent);
        var over = MemoryBenchmarkReport.From(Variant(true, 300, 331), Variant(false, 300, 900), true);
        Assert.False(over.ScopedPeakWithinTenPercent);
        Assert.Equal(331.0 / 300, over.Scoped.PeakRatio!.Value, 12);
        Assert.Equal(2, over.Figures["memory-rss"].Traces.Count);
    }

    [Fact]
    public void BadOptions_AreRejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => MemoryBenchmark.RunVariant(new MemoryBenchmarkOptions(Steps: 0)));
        Assert.ThrowsAny<ArgumentException>(() => MemoryBenchmark.RunVariant(new MemoryBenchmarkOptions(BatchSize: 0)));
        Assert.ThrowsAny<ArgumentException>(() => MemoryBenchmark.RunVariant(new MemoryBenchmarkOptions(RssLimitMegabytes: double.NaN)));
    }
}
