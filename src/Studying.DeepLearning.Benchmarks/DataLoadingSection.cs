using System.Text.Json.Serialization;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.TorchBasics;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Benchmarks;

/// <summary>The data-loading section of chapter 2 as plain data; <see cref="Figures"/> holds its charts.</summary>
/// <param name="TorchSharpLoader">What TorchSharp's DataLoader does with batches, drop_last, seeds and workers.</param>
/// <param name="Loaders">A small latency- and CPU-bound comparison of the two loaders.</param>
/// <param name="Memory">A short CNN loop with and without a dispose scope per step, in this process (read the growth per step).</param>
public sealed record DataLoadingReport(TorchSharpLoaderDemo TorchSharpLoader, LoaderBenchmarkReport Loaders, MemoryBenchmarkReport Memory)
{
    /// <summary>The section's charts by file-friendly name.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, Figure> Figures { get; init; } = new Dictionary<string, Figure>();
}

/// <summary>Runs the data-loading section (notebook 2-6) quickly: small sizes chosen so that the effect shows in a few seconds.</summary>
public static class DataLoadingSection
{
    /// <summary>
    /// The small benchmark the notebook runs: 12 batches of 4 items, 3 ms of waiting or 1 ms of arithmetic per item,
    /// 1 and 2 workers.
    /// </summary>
    public static LoaderBenchmarkOptions QuickLoaderOptions { get; } = new(Batches: 12, BatchSize: 4, ItemLatencyMilliseconds: 3, ItemCpuMilliseconds: 1, Workers: [1, 2]);

    /// <summary>Runs the demonstration, the small loader benchmark and a short memory comparison.</summary>
    /// <param name="progress">Receives a line per finished part, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between and inside the parts.</param>
    public static DataLoadingReport Run(IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        TorchRuntime.EnsureLoaded();
        var demo = TorchSharpLoaderDemo.Run();
        progress?.Report($"TorchSharp DataLoader: {demo.Batches} batches of {demo.BatchSize} (last {demo.LastBatchSize}), {demo.BatchesWithDropLast} with drop_last; same seed same order: {demo.SameSeedSameOrder}");

        var loaders = LoaderBenchmark.Run(QuickLoaderOptions, progress, cancellationToken);
        var scoped = MemoryBenchmark.RunVariant(new MemoryBenchmarkOptions(Steps: 30, ScopePerStep: true, BatchSize: 32, CheckStep: 10), null, cancellationToken);
        var unscoped = MemoryBenchmark.RunVariant(new MemoryBenchmarkOptions(Steps: 30, ScopePerStep: false, BatchSize: 32, CheckStep: 10), null, cancellationToken);
        var memory = MemoryBenchmarkReport.From(scoped, unscoped, freshProcesses: false);
        progress?.Report($"memory: {scoped.RssGrowthPerStepMegabytes:F2} MiB/step with a scope per step, {unscoped.RssGrowthPerStepMegabytes:F2} MiB/step without");

        var figures = new Dictionary<string, Figure>();
        foreach (var (name, figure) in loaders.Figures.Concat(memory.Figures))
            figures[name] = figure;
        return new DataLoadingReport(demo, loaders, memory) { Figures = figures };
    }
}
