using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using Studying.DeepLearning.Plotting;
using Trace = Studying.DeepLearning.Plotting.Trace;
using TorchSharp;
using Studying.DeepLearning.Infrastructure;

using Studying.DeepLearning.TorchBasics;

namespace Studying.DeepLearning.Benchmarks;

/// <summary>The two loaders compared.</summary>
public enum LoaderKind
{
    /// <summary>TorchSharp's <c>torch.utils.data.DataLoader</c>: <c>num_worker</c> threads load one batch's items when asked, so loading and training take turns.</summary>
    TorchSharp,
    /// <summary><see cref="PrefetchingDataLoader"/>: workers build the next batches while the consumer trains.</summary>
    Prefetching,
}

/// <summary>Settings of <see cref="LoaderBenchmark.Run"/>.</summary>
/// <param name="Batches">Batches per epoch; at least one.</param>
/// <param name="BatchSize">Items per batch; at least one.</param>
/// <param name="ItemLatencyMilliseconds">Waiting per item in the latency-bound scenario (0 skips it).</param>
/// <param name="ItemCpuMilliseconds">Arithmetic per item in the CPU-bound scenario (0 skips it).</param>
/// <param name="Workers">Worker counts to compare; <see langword="null"/> for 1, 2 and 4.</param>
/// <param name="Features">Features per item.</param>
public sealed record LoaderBenchmarkOptions(int Batches = 40, int BatchSize = 8, double ItemLatencyMilliseconds = 2, double ItemCpuMilliseconds = 2,
    IReadOnlyList<int>? Workers = null, int Features = 16)
{
    /// <summary>The worker counts compared.</summary>
    public IReadOnlyList<int> WorkerCounts => Workers ?? [1, 2, 4];
}

/// <summary>One loader with one worker count.</summary>
/// <param name="Loader">Which loader.</param>
/// <param name="Workers">Its workers (TorchSharp's <c>num_worker</c>, or <see cref="PrefetchOptions.Workers"/>).</param>
/// <param name="BatchesPerSecond">Loading alone: batches delivered per second over one epoch with no training.</param>
/// <param name="EpochSeconds">One epoch with a training step after each batch.</param>
/// <param name="EpochOverTraining">That epoch time ÷ the time of the training steps alone (1 = loading fully hidden).</param>
/// <param name="IdealEpochOverTraining">What the loader's design allows at best on this machine's cores (see <see cref="LoaderBenchmark"/>).</param>
public sealed record LoaderMeasurement(LoaderKind Loader, int Workers, double BatchesPerSecond, double EpochSeconds, double EpochOverTraining, double IdealEpochOverTraining);

/// <summary>One kind of loading cost, measured for both loaders and every worker count.</summary>
/// <param name="Name">"latency-bound" or "CPU-bound".</param>
/// <param name="Cost">The per-item cost.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="BatchSize">Items per batch.</param>
/// <param name="TrainStepMilliseconds">The simulated training step: as long as one worker needs to load one batch.</param>
/// <param name="TrainingSeconds">The training steps of one epoch alone, measured.</param>
/// <param name="Cores">Logical processors of this machine.</param>
/// <param name="Rows">One row per loader and worker count.</param>
/// <param name="LoadAverage">The machine's 1-minute load average after the runs (Linux), or <see langword="null"/>: above the core
/// count, other processes took CPU time from the measurement, which matters most for the CPU-bound scenario.</param>
public sealed record LoaderScenario(string Name, ItemCost Cost, int Batches, int BatchSize, double TrainStepMilliseconds, double TrainingSeconds, int Cores,
    IReadOnlyList<LoaderMeasurement> Rows, double? LoadAverage);

/// <summary>The loader benchmark: its scenarios, and what they show in words.</summary>
/// <param name="Scenarios">Latency-bound and/or CPU-bound.</param>
/// <param name="Findings">One sentence per scenario and loader.</param>
public sealed record LoaderBenchmarkReport(IReadOnlyList<LoaderScenario> Scenarios, IReadOnlyList<string> Findings)
{
    /// <summary>Charts: throughput and epoch ÷ training time per scenario.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, Figure> Figures { get; init; } = new Dictionary<string, Figure>();
}

/// <summary>
/// Measures TorchSharp's DataLoader against <see cref="PrefetchingDataLoader"/> on the same <see cref="SyntheticDataset"/>.
/// </summary>
/// <remarks>
/// <para>The training step is simulated with the same kind of cost as loading (a sleep, during which the core is
/// free, and/or arithmetic, which keeps a core busy), and lasts T: one batch's load time on one thread, measured
/// (≈ B·c for B items of cost c, plus sleep overshoot and collation).</para>
/// <para>Ideal ratios, with W workers, P cores and N batches: TorchSharp's loader loads a batch in
/// ⌈B / W'⌉·c, then trains T = B·c, so epoch ÷ training ≥ 1 + ⌈B / W'⌉ / B ≈ 1 + 1/W', where W' = W for waiting and
/// min(W, P) for arithmetic. The prefetching loader overlaps the two and is bounded only by the first batch
/// (1 + 1/N) and, for arithmetic, by the total work 2·N·T shared by P cores: ≥ max(1, 2/P) + 1/N.</para>
/// <para>This is a benchmark, not a test: its numbers depend on the machine and on what else runs on it.</para>
/// </remarks>
public static class LoaderBenchmark
{
    /// <summary>Runs the latency-bound and the CPU-bound scenario (those whose cost is above zero) and draws them.</summary>
    /// <param name="options">Sizes, costs and worker counts; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives a line per measurement, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between and inside measurements.</param>
    public static LoaderBenchmarkReport Run(LoaderBenchmarkOptions? options = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new LoaderBenchmarkOptions();
        Validate(options);
        var scenarios = new List<LoaderScenario>();
        if (options.ItemLatencyMilliseconds > 0)
            scenarios.Add(RunScenario("latency-bound", new ItemCost(options.ItemLatencyMilliseconds, 0), options, progress, cancellationToken));
        if (options.ItemCpuMilliseconds > 0)
            scenarios.Add(RunScenario("CPU-bound", new ItemCost(0, options.ItemCpuMilliseconds), options, progress, cancellationToken));
        if (scenarios.Count == 0)
            throw new ArgumentException("Both per-item costs are zero; give a latency or a CPU cost above zero to have something to overlap.", nameof(options));

        var figures = new Dictionary<string, Figure>();
        foreach (var scenario in scenarios)
        {
            var key = scenario.Name.StartsWith("CPU", StringComparison.Ordinal) ? "cpu" : "latency";
            figures[$"loader-{key}-throughput"] = ThroughputChart(scenario);
            figures[$"loader-{key}-epoch"] = EpochChart(scenario);
        }
        return new LoaderBenchmarkReport(scenarios, scenarios.SelectMany(Findings).ToArray()) { Figures = figures };
    }

    /// <summary>Measures one cost for both loaders and every worker count.</summary>
    /// <param name="name">A name for the scenario.</param>
    /// <param name="cost">What one item costs.</param>
    /// <param name="options">Sizes and worker counts (its cost fields are not used).</param>
    /// <param name="progress">Receives a line per measurement, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between and inside measurements.</param>
    public static LoaderScenario RunScenario(string name, ItemCost cost, LoaderBenchmarkOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        cost.Validate(nameof(cost));
        if (cost.TotalMilliseconds <= 0)
            throw new ArgumentException("The per-item cost is zero; there is no loading time to overlap with training.", nameof(cost));
        TorchRuntime.EnsureLoaded();
        CpuWork.EnsureCalibrated();

        var b = options.BatchSize;
        using var data = new SyntheticDataset((long)options.Batches * b, options.Features, cost);
        // Warm up (JIT, TorchSharp's first calls) on a short epoch of free items.
        using (var warm = new SyntheticDataset(4L * b, options.Features))
        {
            Epoch(LoaderKind.TorchSharp, warm, b, 2, null, cancellationToken);
            Epoch(LoaderKind.Prefetching, warm, b, 2, null, cancellationToken);
        }

        // The simulated training step lasts as long as one batch takes to load on one thread — measured, so that sleep
        // overshoot and collation count too — with the same mix of waiting and arithmetic as the items.
        var batchLoad = SequentialBatchMilliseconds(data, b, Math.Min(options.Batches, 10), cancellationToken);
        var stepLatency = batchLoad * cost.LatencyMilliseconds / cost.TotalMilliseconds;
        var stepCpu = batchLoad * cost.CpuMilliseconds / cost.TotalMilliseconds;
        void TrainStep()
        {
            if (stepLatency > 0)
                Thread.Sleep(TimeSpan.FromMilliseconds(stepLatency));
            CpuWork.Run(stepCpu);
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < options.Batches; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TrainStep();
        }
        var training = watch.Elapsed.TotalSeconds;
        progress?.Report($"{name}: {options.Batches} training steps of {stepLatency + stepCpu:G3} ms alone take {training:F3} s");

        var cores = Environment.ProcessorCount;
        var rows = new List<LoaderMeasurement>();
        foreach (var workers in options.WorkerCounts)
        {
            foreach (var kind in new[] { LoaderKind.TorchSharp, LoaderKind.Prefetching })
            {
                var loading = Epoch(kind, data, b, workers, null, cancellationToken);
                var epoch = Epoch(kind, data, b, workers, TrainStep, cancellationToken);
                var row = new LoaderMeasurement(kind, workers, options.Batches / loading, epoch, epoch / training, Ideal(kind, cost, b, workers, options.Batches, cores));
                rows.Add(row);
                progress?.Report(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: {kind}, {workers} worker(s): {row.BatchesPerSecond:F1} batches/s alone; epoch with training {epoch:F3} s = {row.EpochOverTraining:F2} × training (ideal {row.IdealEpochOverTraining:F2})"));
            }
        }
        return new LoaderScenario(name, cost, options.Batches, b, stepLatency + stepCpu, training, cores, rows, LoadAverage());
    }

    /// <summary>The best epoch ÷ training ratio each loader's design allows (see the remarks of <see cref="LoaderBenchmark"/>).</summary>
    internal static double Ideal(LoaderKind kind, ItemCost cost, int batchSize, int workers, int batches, int cores)
    {
        var total = cost.TotalMilliseconds;
        if (total <= 0)
            return 1;
        var parallel = cost.CpuMilliseconds > 0 ? Math.Min(workers, cores) : workers;
        if (kind == LoaderKind.TorchSharp)
            return 1 + Math.Ceiling((double)batchSize / parallel) / batchSize;
        var cpuShare = cost.CpuMilliseconds / total;
        var coreBound = cpuShare > 0 ? Math.Max(1, (1 + cpuShare) / cores) : 1;
        var loadBound = 1.0 / workers;
        return Math.Max(coreBound, loadBound) + 1.0 / batches;
    }

    private static double? LoadAverage()
    {
        try
        {
            return OperatingSystem.IsLinux() && File.Exists("/proc/loadavg")
                ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture)
                : null;
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Milliseconds to load and stack one batch on the calling thread, averaged over the first <paramref name="batches"/> batches.</summary>
    private static double SequentialBatchMilliseconds(SyntheticDataset data, int batchSize, int batches, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        for (var k = 0; k < batches; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            var items = Enumerable.Range(k * batchSize, batchSize).Select(i => data.GetTensor(i)).ToArray();
            foreach (var key in items[0].Keys)
                torch.stack(items.Select(item => item[key]).ToArray(), 0);
        }
        return watch.Elapsed.TotalMilliseconds / batches;
    }

    /// <summary>Seconds for one epoch through the loader, with <paramref name="trainStep"/> after each batch if given.</summary>
    private static double Epoch(LoaderKind kind, SyntheticDataset data, int batchSize, int workers, Action? trainStep, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        if (kind == LoaderKind.TorchSharp)
        {
            using var loader = torch.utils.data.DataLoader(data, batchSize, shuffle: false, num_worker: workers, disposeBatch: true, disposeDataset: false);
            foreach (var batch in loader)
            {
                cancellationToken.ThrowIfCancellationRequested();
                trainStep?.Invoke();
            }
        }
        else
        {
            var loader = new PrefetchingDataLoader(data, batchSize, new PrefetchOptions(workers, Capacity: 2 * workers));
            foreach (var batch in loader.Enumerate(cancellationToken))
            {
                using (batch)
                    trainStep?.Invoke();
            }
        }
        return watch.Elapsed.TotalSeconds;
    }

    private static void Validate(LoaderBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Batches < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Batches, "At least one batch is needed (Batches).");
        if (options.BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "The batch size must be at least 1 (BatchSize).");
        if (options.Features < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Features, "Each item needs at least one feature (Features).");
        if (options.WorkerCounts.Count == 0 || options.WorkerCounts.Any(w => w < 1))
            throw new ArgumentException($"Worker counts must be at least 1; got [{string.Join(", ", options.WorkerCounts)}].", nameof(options));
        new ItemCost(options.ItemLatencyMilliseconds, options.ItemCpuMilliseconds).Validate(nameof(options));
    }

    private static IEnumerable<string> Findings(LoaderScenario s)
    {
        string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
        foreach (var kind in new[] { LoaderKind.TorchSharp, LoaderKind.Prefetching })
        {
            var rows = s.Rows.Where(r => r.Loader == kind).ToArray();
            var best = rows.MinBy(r => r.EpochOverTraining)!;
            if (kind == LoaderKind.TorchSharp && s.Cost.CpuMilliseconds == 0 && rows.Any(r => r.Workers > s.Cores))
            {
                var atCores = rows.Where(r => r.Workers <= s.Cores).MaxBy(r => r.Workers);
                var above = rows.Where(r => r.Workers > s.Cores).MaxBy(r => r.Workers)!;
                if (atCores is not null && above.BatchesPerSecond < 1.25 * atCores.BatchesPerSecond)
                    yield return $"{s.Name}, TorchSharp: {above.Workers} workers load at {F(above.BatchesPerSecond)} batches/s, hardly more than {atCores.Workers} ({F(atCores.BatchesPerSecond)}): its num_worker runs items as PLINQ tasks on the .NET thread pool, which starts with one thread per core ({s.Cores}) and grows slowly while items block.";
            }
            yield return $"{s.Name}, {kind}: epoch = {string.Join(" / ", rows.Select(r => F(r.EpochOverTraining)))} × pure training with {string.Join(" / ", rows.Select(r => r.Workers))} workers (best {F(best.EpochOverTraining)} × at {best.Workers}; ideal {F(best.IdealEpochOverTraining)} ×).";
        }
    }

    private static Figure ThroughputChart(LoaderScenario s)
    {
        var categories = s.Rows.Select(r => r.Workers).Distinct().Select(w => $"{w} worker{(w == 1 ? "" : "s")}").ToArray();
        Trace Bars(LoaderKind kind) => new BarTrace(kind.ToString(), categories, s.Rows.Where(r => r.Loader == kind).Select(r => r.BatchesPerSecond).ToArray());
        var trainRate = s.Batches / s.TrainingSeconds;
        return new Figure($"Loading alone, {s.Name} ({s.Cost.TotalMilliseconds:G3} ms per item, batch {s.BatchSize}): batches per second",
                Bars(LoaderKind.TorchSharp), Bars(LoaderKind.Prefetching),
                Trace.Line($"training rate ({trainRate:F1} steps/s)", [-0.5, categories.Length - 0.5], [trainRate, trainRate]))
            .WithAxisTitles("workers", "batches per second");
    }

    private static Figure EpochChart(LoaderScenario s)
    {
        var categories = s.Rows.Select(r => r.Workers).Distinct().Select(w => $"{w} worker{(w == 1 ? "" : "s")}").ToArray();
        var traces = new List<Trace>();
        foreach (var kind in new[] { LoaderKind.TorchSharp, LoaderKind.Prefetching })
        {
            var rows = s.Rows.Where(r => r.Loader == kind).ToArray();
            traces.Add(new BarTrace($"{kind} (measured)", categories, rows.Select(r => r.EpochOverTraining).ToArray()));
            traces.Add(new ScatterTrace($"{kind} (ideal)", Enumerable.Range(0, categories.Length).Select(i => (double)i).ToArray(), rows.Select(r => r.IdealEpochOverTraining).ToArray(), TraceMode.Markers));
        }
        return new Figure($"Epoch time ÷ pure training time, {s.Name} (1 = loading fully hidden behind training)", traces)
            .WithAxisTitles("workers", "epoch ÷ training");
    }
}
