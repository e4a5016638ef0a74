using Studying.DeepLearning.TorchBasics;
using Studying.DeepLearning.Benchmarks;

namespace Studying.DeepLearning.Tests.Benchmarks;

[Trait("Tier", "unit")]
public class LoaderBenchmarkTests
{
    [Theory]
    // Waiting: TorchSharp loads ⌈B/W⌉ items' time then trains B items' time; prefetching only waits for the first batch.
    [InlineData(LoaderKind.TorchSharp, 2, 0, 8, 1, 40, 2, 2.0)]
    [InlineData(LoaderKind.TorchSharp, 2, 0, 8, 2, 40, 2, 1.5)]
    [InlineData(LoaderKind.TorchSharp, 2, 0, 8, 4, 40, 2, 1.25)]
    [InlineData(LoaderKind.TorchSharp, 2, 0, 8, 3, 40, 2, 1.375)]
    [InlineData(LoaderKind.Prefetching, 2, 0, 8, 1, 40, 2, 1.025)]
    // Arithmetic on 2 cores: TorchSharp's 4 workers act as 2; prefetching shares 2·N·T of work between 2 cores.
    [InlineData(LoaderKind.TorchSharp, 0, 2, 8, 4, 40, 2, 1.5)]
    [InlineData(LoaderKind.Prefetching, 0, 2, 8, 4, 40, 2, 1.025)]
    [InlineData(LoaderKind.Prefetching, 0, 2, 8, 4, 40, 1, 2.025)]
    public void IdealRatios_MatchTheHandDerivedBounds(LoaderKind kind, double latency, double cpu, int batchSize, int workers, int batches, int cores, double expected)
    {
        Assert.Equal(expected, LoaderBenchmark.Ideal(kind, new ItemCost(latency, cpu), batchSize, workers, batches, cores), 12);
    }

    [Fact]
    public void BadOptions_AreRejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => LoaderBenchmark.Run(new LoaderBenchmarkOptions(Batches: 0)));
        Assert.ThrowsAny<ArgumentException>(() => LoaderBenchmark.Run(new LoaderBenchmarkOptions(Workers: [1, 0])));
        Assert.ThrowsAny<ArgumentException>(() => LoaderBenchmark.Run(new LoaderBenchmarkOptions(ItemLatencyMilliseconds: 0, ItemCpuMilliseconds: 0)));
        Assert.ThrowsAny<ArgumentException>(() => LoaderBenchmark.Run(new LoaderBenchmarkOptions(ItemLatencyMilliseconds: -1)));
    }
}
