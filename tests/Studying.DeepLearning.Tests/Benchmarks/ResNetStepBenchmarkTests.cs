using Studying.DeepLearning.ResNet;
using TorchSharp;
using Studying.DeepLearning.Benchmarks;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Tests.Benchmarks;

/// <summary>The ResNet step benchmark's report is consistent with itself and with ModelSummary (no timing assertions: timings belong to the benchmark).</summary>
[Trait("Tier", "unit")]
public class ResNetStepBenchmarkTests
{
    private static readonly ResNetStepBenchmarkOptions Tiny = new("resnet20", BatchSize: 4, Steps: 2, WarmupSteps: 1, Rounds: 2,
        MemoryCheckStep: 2, MemorySteps: 3, SgemmSize: 64, SgemmRepeats: 2);

    public ResNetStepBenchmarkTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void Run_TinyResNet20_GivesAConsistentReport()
    {
        var report = ResNetStepBenchmark.Run(Tiny);

        // Same seed, same batches: the trainer and the bare loop end every round with the same weights and buffers.
        Assert.True(report.SameWeights, $"max |Δ| {report.MaxWeightDifference}");
        Assert.Equal(0, report.MaxWeightDifference);

        // MACs come from ModelSummary; FLOPs per step = 3 (forward + backward) × 2 (FLOPs per MAC) × MACs × batch.
        torch.random.manual_seed(0);
        using (var model = ResNetModels.Create("resnet20", 3, 10))
            Assert.Equal(ModelSummary.Of(model, [3, 32, 32]).TotalMultiplyAdds, report.MultiplyAddsPerImage);
        Assert.Equal(report.MultiplyAddsPerImage, ResNetStepBenchmark.MultiplyAddsPerImage("resnet20"));
        Assert.Equal(3.0 * 2 * report.MultiplyAddsPerImage * 4, report.TrainingFlopsPerStep);
        Assert.Equal("ResNet-20", report.ModelName);
        Assert.Equal(32, report.ImageSize);

        // GFLOP/s = FLOPs per step ÷ the fastest seconds per step; the ratios are of the fastest (and median) steps.
        Assert.Equal(2, report.TrainerSecondsPerStep.Count);
        Assert.Equal(2, report.BareSecondsPerStep.Count);
        Assert.All(report.TrainerSecondsPerStep.Concat(report.BareSecondsPerStep), s => Assert.True(s > 0));
        Assert.Equal(report.TrainingFlopsPerStep / report.TrainerSecondsPerStep.Min() / 1e9, report.TrainerGflops, 9);
        Assert.Equal(report.TrainingFlopsPerStep / report.BareSecondsPerStep.Min() / 1e9, report.BareGflops, 9);
        Assert.Equal(report.TrainerSecondsPerStep.Min() / report.BareSecondsPerStep.Min(), report.Ratio, 12);
        Assert.Equal(report.TrainerSecondsPerStep.Average() / report.BareSecondsPerStep.Average(), report.MedianRatio, 12); // two rounds: the median is the mean
        Assert.Equal(report.Ratio <= ResNetStepBenchmarkReport.TargetRatio, report.RatioWithinTarget);

        // The sgemm peak: plausible, 2·n³ ÷ the fastest product, with the training's thread count.
        Assert.True(report.Sgemm.Gflops > 0);
        Assert.Equal(2, report.Sgemm.Seconds.Count);
        Assert.Equal(2.0 * 64 * 64 * 64 / report.Sgemm.Seconds.Min() / 1e9, report.Sgemm.Gflops, 9);
        Assert.Equal(report.Threads, report.Sgemm.Threads);
        Assert.Equal(torch.get_num_threads(), report.Threads);
        Assert.Equal(report.TrainerGflops / report.Sgemm.Gflops, report.FractionOfPeak, 12);

        // The memory run (in this process here): one sample per step, the peaks read from them.
        var memory = Assert.IsType<ResNetMemoryRun>(report.Memory);
        Assert.False(memory.FreshProcess);
        Assert.Equal(ResNetStepLoop.Trainer, memory.Loop);
        Assert.Equal([1, 2, 3], memory.Samples.Select(s => s.Step));
        Assert.All(memory.Samples, s => Assert.True(s.RssMegabytes > 0 && s.PeakRssMegabytes >= s.RssMegabytes));
        Assert.Equal(memory.Samples[1].PeakRssMegabytes, memory.PeakAtCheckStepMegabytes);
        Assert.True(memory.PeakRssMegabytes >= memory.PeakAtCheckStepMegabytes);
        Assert.Equal(memory.PeakRssMegabytes / memory.PeakAtCheckStepMegabytes, memory.PeakRatio, 12);
        Assert.Equal(memory.PeakRssMegabytes <= ResNetStepBenchmarkReport.PeakRssLimitMegabytes, report.PeakRssWithinLimit);

        Assert.Equal(["resnet-step-time", "resnet-step-memory"], report.Charts().Keys);
    }

    [Fact]
    public void RunMemory_BareLoop_SamplesEveryStep_AndWithoutMemoryTheReportHasNone()
    {
        var memory = ResNetStepBenchmark.RunMemory(Tiny with { Model = "plain20" }, ResNetStepLoop.Bare);

        Assert.Equal(ResNetStepLoop.Bare, memory.Loop);
        Assert.Equal(3, memory.Steps);
        Assert.Equal(3, memory.Samples.Count);

        var report = ResNetStepBenchmark.Run(Tiny with { Model = "plain20", Rounds = 1, WarmupSteps = 0 }, measureMemory: false);
        Assert.Null(report.Memory);
        Assert.Null(report.PeakRssWithinLimit);
        Assert.Null(report.MemoryFlat);
        Assert.True(report.SameWeights);
        Assert.Equal(["resnet-step-time"], report.Charts().Keys);
    }

    [Fact]
    public void BadOptions_AreRejectedWithAMessageNamingTheSetting()
    {
        var steps = Assert.ThrowsAny<ArgumentException>(() => ResNetStepBenchmark.Run(Tiny with { Steps = 0 }));
        Assert.Contains("Steps", steps.Message, StringComparison.Ordinal);
        var model = Assert.ThrowsAny<ArgumentException>(() => ResNetStepBenchmark.Run(Tiny with { Model = "resnet19" }));
        Assert.Contains("Unknown ResNet model 'resnet19'", model.Message, StringComparison.Ordinal);
        Assert.Contains("cifar-resnet18", model.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<ArgumentException>(() => ResNetStepBenchmark.Run(Tiny with { BatchSize = 0 }));
        Assert.ThrowsAny<ArgumentException>(() => ResNetStepBenchmark.Run(Tiny with { Rounds = 0 }));
        var memory = Assert.ThrowsAny<ArgumentException>(() => ResNetStepBenchmark.Run(Tiny with { MemorySteps = 5, MemoryCheckStep = 20 }));
        Assert.Contains("MemorySteps", memory.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<ArgumentException>(() => ResNetStepBenchmark.RunMemory(Tiny with { MemorySteps = 0 }));
        Assert.ThrowsAny<ArgumentException>(() => ResNetStepBenchmark.Run(Tiny with { MallocMmapThreshold = 0 }));
        Assert.ThrowsAny<ArgumentException>(() => ResNetStepBenchmark.Run(Tiny with { MallocMmapThreshold = 64 * 1024 * 1024 }));
    }
}
