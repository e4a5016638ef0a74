using System.Text.Json;
using Studying.DeepLearning.TorchBasics;
using Studying.DeepLearning.Benchmarks;

namespace Studying.DeepLearning.Tests.Benchmarks;

[Collection(SeededTorchRandom.Name)]
[Trait("Tier", "unit")]
public class DataLoadingSectionTests
{
    [Fact]
    public void Run_ReturnsEveryPart_SerialisesToJson_AndDrawsItsCharts()
    {
        var lines = new List<string>();
        var report = DataLoadingSection.Run(new Progress(lines.Add));

        Assert.True(report.TorchSharpLoader.SameSeedSameOrder);
        var options = DataLoadingSection.QuickLoaderOptions;
        Assert.Equal(["latency-bound", "CPU-bound"], report.Loaders.Scenarios.Select(s => s.Name));
        // Both loaders for each worker count; every row measured something.
        Assert.All(report.Loaders.Scenarios, s => Assert.Equal(2 * options.WorkerCounts.Count, s.Rows.Count));
        Assert.All(report.Loaders.Scenarios.SelectMany(s => s.Rows), r => Assert.True(r.BatchesPerSecond > 0 && r.EpochOverTraining > 0));
        Assert.Equal(0, report.Memory.Scoped.LiveTensorsPerStep);
        Assert.True(report.Memory.Unscoped.LiveTensorsPerStep > 0);
        Assert.False(report.Memory.FreshProcesses);
        Assert.Equal(["loader-latency-throughput", "loader-latency-epoch", "loader-cpu-throughput", "loader-cpu-epoch", "memory-rss"], report.Figures.Keys);
        Assert.NotEmpty(lines);

        var json = JsonSerializer.Serialize(report);
        Assert.DoesNotContain("Figures", json, StringComparison.Ordinal);
        Assert.Contains("\"EpochOverTraining\"", json, StringComparison.Ordinal);
    }

    private sealed class Progress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
