using System.Globalization;
using Studying.DeepLearning.Plotting;
using Trace = Studying.DeepLearning.Plotting.Trace;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

using Studying.DeepLearning.Classification;

namespace Studying.DeepLearning.Benchmarks;

/// <summary>Settings of <see cref="MemoryBenchmark.RunVariant"/>.</summary>
/// <param name="Steps">Training steps; at least one.</param>
/// <param name="ScopePerStep">Wrap each step in <c>torch.NewDisposeScope()</c> (the right way) or not (the leak).</param>
/// <param name="BatchSize">Images per step (random 28×28, like MNIST).</param>
/// <param name="CheckStep">The early step whose peak is compared with the final peak (20 in the brief).</param>
/// <param name="RssLimitMegabytes">Stop early when the resident set passes this, so a leaking variant cannot exhaust the machine.</param>
/// <param name="Seed">Seed of the model and the data.</param>
public sealed record MemoryBenchmarkOptions(int Steps = 200, bool ScopePerStep = true, int BatchSize = 64, int CheckStep = 20, double RssLimitMegabytes = 4096, int Seed = 0);

/// <summary>Memory after one step.</summary>
/// <param name="Step">Steps done (1-based).</param>
/// <param name="RssMegabytes">Resident set size (VmRSS) after the step, MiB.</param>
/// <param name="LiveTensors">Tensors made and not disposed on the training thread since the loop began.</param>
public sealed record MemorySample(int Step, double RssMegabytes, long LiveTensors);

/// <summary>One variant of the training loop and its memory.</summary>
/// <param name="ScopePerStep">Whether each step had its own dispose scope.</param>
/// <param name="StepsRequested">Steps asked for.</param>
/// <param name="StepsRun">Steps done (fewer if the RSS limit stopped it).</param>
/// <param name="StoppedAtLimit">Whether the RSS limit stopped it.</param>
/// <param name="StartRssMegabytes">VmRSS before the loop (model built), MiB.</param>
/// <param name="PeakRssMegabytes">VmHWM after the last step: the process's peak since it started, MiB.</param>
/// <param name="PeakAtCheckStepMegabytes">VmHWM after <paramref name="CheckStep"/> steps, or <see langword="null"/> if it ran fewer.</param>
/// <param name="CheckStep">The early step compared.</param>
/// <param name="RssGrowthPerStepMegabytes">(VmRSS after the last step − after the check step) ÷ the steps between (after the first step if fewer ran).</param>
/// <param name="LiveTensorsPerStep">Tensors left alive per step, over the same steps (0 with a scope per step).</param>
/// <param name="Samples">VmRSS and live tensors after every step.</param>
public sealed record MemoryVariantResult(bool ScopePerStep, int StepsRequested, int StepsRun, bool StoppedAtLimit,
    double StartRssMegabytes, double PeakRssMegabytes, double? PeakAtCheckStepMegabytes, int CheckStep,
    double RssGrowthPerStepMegabytes, double LiveTensorsPerStep, IReadOnlyList<MemorySample> Samples)
{
    /// <summary>Final peak ÷ peak after <see cref="CheckStep"/> steps (≤ 1.10 passes the brief's check), or <see langword="null"/>.</summary>
    public double? PeakRatio => PeakAtCheckStepMegabytes is { } early && early > 0 ? PeakRssMegabytes / early : null;
}

/// <summary>
/// The same small CNN training loop with and without <c>torch.NewDisposeScope()</c> per step, measuring memory.
/// </summary>
/// <remarks>
/// Method: VmHWM (the kernel's peak resident set) is per process and never goes down, so a variant's peak is only its
/// own when it runs in a fresh process — <c>studydl bench memory</c> runs each variant in a child process. In a
/// shared process (a notebook), read <see cref="MemoryVariantResult.RssGrowthPerStepMegabytes"/> and the per-step
/// samples instead, which are measured relative to the variant's own start. Live tensors are counted on the training
/// thread (<c>DisposeScopeManager.Statistics</c>), so other threads cannot disturb them.
/// </remarks>
public static class MemoryBenchmark
{
    private const double MiB = 1024 * 1024;

    /// <summary>Trains the CNN on random batches for the given steps and samples memory after each.</summary>
    /// <param name="options">Steps, scope or not, batch size, limit; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives a line every 20 steps, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    public static MemoryVariantResult RunVariant(MemoryBenchmarkOptions? options = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new MemoryBenchmarkOptions();
        if (options.Steps < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Steps, "At least one step is needed (Steps).");
        if (options.BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "The batch size must be at least 1 (BatchSize).");
        if (options.CheckStep < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.CheckStep, "The check step must be at least 1 (CheckStep).");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.RssLimitMegabytes, nameof(options.RssLimitMegabytes));
        TorchRuntime.EnsureLoaded();

        torch.random.manual_seed(options.Seed);
        using var model = new SmallCnn();
        using var optimizer = optim.SGD(model.parameters(), 0.01);
        var statistics = DisposeScopeManager.Statistics;
        var startLive = statistics.ThreadTotalLiveCount;
        var start = ProcessMemory.Read().Current;
        var samples = new List<MemorySample>();
        double? peakAtCheck = null;
        var stopped = false;
        try
        {
            for (var step = 1; step <= options.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (options.ScopePerStep)
                {
                    using var scope = NewDisposeScope();
                    Step(model, optimizer, options.BatchSize);
                }
                else
                {
                    Step(model, optimizer, options.BatchSize);
                }
                var (rss, peak) = ProcessMemory.Read();
                samples.Add(new MemorySample(step, rss / MiB, statistics.ThreadTotalLiveCount - startLive));
                if (step == options.CheckStep)
                    peakAtCheck = peak / MiB;
                if (step % 20 == 0)
                    progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{(options.ScopePerStep ? "scope per step" : "no scope")}: step {step}, RSS {rss / MiB:F0} MiB"));
                if (rss / MiB > options.RssLimitMegabytes)
                {
                    stopped = step < options.Steps;
                    progress?.Report(string.Create(CultureInfo.InvariantCulture, $"stopped at step {step}: RSS {rss / MiB:F0} MiB passed the limit of {options.RssLimitMegabytes:F0} MiB"));
                    break;
                }
            }
        }
        finally
        {
            if (!options.ScopePerStep)
            {
                // Give the leaked tensors back now (their finalizers free the native memory), not at some later GC.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
            }
        }

        var finalPeak = ProcessMemory.Read().Peak / MiB;
        var from = samples.Count > options.CheckStep ? samples[options.CheckStep - 1] : samples[0];
        var last = samples[^1];
        var between = Math.Max(last.Step - from.Step, 1);
        return new MemoryVariantResult(options.ScopePerStep, options.Steps, samples.Count, stopped,
            start / MiB, Math.Max(finalPeak, samples.Max(s => s.RssMegabytes)), peakAtCheck, options.CheckStep,
            (last.RssMegabytes - from.RssMegabytes) / between, (double)(last.LiveTensors - from.LiveTensors) / between, samples);
    }

    /// <summary>Resident memory against step, one line per variant.</summary>
    /// <param name="variants">The variants to draw.</param>
    public static Figure RssChart(IEnumerable<MemoryVariantResult> variants)
    {
        ArgumentNullException.ThrowIfNull(variants);
        var traces = variants.Select(v => (Trace)Trace.Line(
            $"{(v.ScopePerStep ? "dispose scope per step" : "no dispose scope")} (peak {v.PeakRssMegabytes:F0} MiB)",
            v.Samples.Select(s => (double)s.Step).ToArray(), v.Samples.Select(s => s.RssMegabytes).ToArray())).ToArray();
        return new Figure("Resident memory of a small CNN training loop", traces).WithAxisTitles("step", "resident set (VmRSS), MiB");
    }

    private static void Step(SmallCnn model, optim.Optimizer optimizer, int batchSize)
    {
        var x = randn(batchSize, 1, 28, 28);
        var y = randint(0, 10, [batchSize], dtype: ScalarType.Int64);
        optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(model.forward(x), y);
        loss.backward();
        optimizer.step();
    }

    /// <summary>conv(1→8, 3×3) → ReLU → pool → conv(8→16, 3×3) → ReLU → pool → linear(400 → 10).</summary>
    private sealed class SmallCnn : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Conv2d conv1 = nn.Conv2d(1, 8, 3);
        private readonly TorchSharp.Modules.Conv2d conv2 = nn.Conv2d(8, 16, 3);
        private readonly TorchSharp.Modules.Linear head = nn.Linear(16 * 5 * 5, 10);

        public SmallCnn() : base(nameof(SmallCnn)) => RegisterComponents();

        public override Tensor forward(Tensor input)
        {
            var h = nn.functional.max_pool2d(nn.functional.relu(conv1.forward(input)), 2);
            h = nn.functional.max_pool2d(nn.functional.relu(conv2.forward(h)), 2);
            return head.forward(h.flatten(1));
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                conv1.Dispose();
                conv2.Dispose();
                head.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

/// <summary>Both variants of the memory benchmark, and the brief's check on the scoped one.</summary>
/// <param name="Scoped">The loop with a dispose scope per step.</param>
/// <param name="Unscoped">The loop without.</param>
/// <param name="FreshProcesses">Whether each variant ran in its own process (so its peak is its own).</param>
/// <param name="ScopedPeakWithinTenPercent">Whether the scoped loop's final peak is within 10 % of its peak after the check step.</param>
public sealed record MemoryBenchmarkReport(MemoryVariantResult Scoped, MemoryVariantResult Unscoped, bool FreshProcesses, bool ScopedPeakWithinTenPercent)
{
    /// <summary>Builds the report from two variants.</summary>
    /// <param name="scoped">The loop with a dispose scope per step.</param>
    /// <param name="unscoped">The loop without.</param>
    /// <param name="freshProcesses">Whether each ran in its own process.</param>
    public static MemoryBenchmarkReport From(MemoryVariantResult scoped, MemoryVariantResult unscoped, bool freshProcesses)
    {
        ArgumentNullException.ThrowIfNull(scoped);
        ArgumentNullException.ThrowIfNull(unscoped);
        return new MemoryBenchmarkReport(scoped, unscoped, freshProcesses, scoped.PeakRatio is { } r && r <= 1.10)
        {
            Figures = new Dictionary<string, Figure> { ["memory-rss"] = MemoryBenchmark.RssChart([scoped, unscoped]) },
        };
    }

    /// <summary>The chart of resident memory against step.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, Figure> Figures { get; init; } = new Dictionary<string, Figure>();
}
