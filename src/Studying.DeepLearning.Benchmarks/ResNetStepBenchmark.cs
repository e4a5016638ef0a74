using System.Globalization;
using System.Text.Json.Serialization;
using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.TorchBasics;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Training;

using Studying.DeepLearning.ResNet;

namespace Studying.DeepLearning.Benchmarks;

/// <summary>Which training loop a <see cref="ResNetStepBenchmark"/> memory run drives.</summary>
public enum ResNetStepLoop
{
    /// <summary><see cref="Trainer.Fit"/>.</summary>
    Trainer,
    /// <summary>The hand-written loop (dispose scope per step, zero_grad, forward, cross-entropy, backward, step).</summary>
    Bare,
}

/// <summary>Settings of <see cref="ResNetStepBenchmark"/>.</summary>
/// <param name="Model">A name from <see cref="ResNetModels.Names"/>, built for 3 channels and 10 classes at its natural image size (32 for the CIFAR networks).</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="Steps">Timed training steps per round and variant.</param>
/// <param name="WarmupSteps">Steps of the untimed warm-up round (0: none).</param>
/// <param name="Rounds">Timed rounds of each variant, interleaved; the fastest of each is compared.</param>
/// <param name="MemoryCheckStep">The early step whose peak resident set is compared with the final one.</param>
/// <param name="MemorySteps">Steps of the memory run (0 skips it); at least <paramref name="MemoryCheckStep"/>.</param>
/// <param name="Seed">Seed of the weights, the synthetic batches and the trainer.</param>
/// <param name="Threads">Torch intra-op threads for training and the matrix-multiply peak alike; 0 keeps torch's current setting.</param>
/// <param name="SgemmSize">n of the n×n float32 matrix product that measures the machine's peak.</param>
/// <param name="SgemmRepeats">Timed matrix products (after one warm-up); the fastest counts.</param>
/// <param name="MallocMmapThreshold">
/// <see langword="null"/> for glibc's default allocator behaviour; else a size in bytes (1 … 32 MiB) set with
/// <c>mallopt(M_MMAP_THRESHOLD)</c> before measuring (Linux/glibc only; process-wide and permanent), so that tensors at
/// least this large are unmapped when freed instead of staying in the heap — an experiment on resident memory, which
/// glibc's rising default threshold otherwise inflates well above the tensors alive.
/// </param>
public sealed record ResNetStepBenchmarkOptions(string Model = "cifar-resnet18", int BatchSize = 64, int Steps = 10, int WarmupSteps = 2, int Rounds = 5,
    int MemoryCheckStep = 20, int MemorySteps = 200, int Seed = 0, int Threads = 0, int SgemmSize = 4096, int SgemmRepeats = 5, int? MallocMmapThreshold = null)
{
    /// <summary>Checks the settings (the benchmark calls this first; a command line can call it before starting child processes).</summary>
    /// <exception cref="ArgumentException">An unknown model, or a size, step, round or thread count out of range (the message names the setting).</exception>
    public void Validate()
    {
        const string paramName = "options";
        ArgumentException.ThrowIfNullOrWhiteSpace(Model, paramName);
        if (!ResNetModels.Names.Contains(Model.Trim().ToLowerInvariant()))
            throw new ArgumentException($"Unknown ResNet model '{Model}'; valid names are: {string.Join(", ", ResNetModels.Names)}.", paramName);
        Check(BatchSize >= 1, "BatchSize: at least one image per step.");
        Check(Steps >= 1, "Steps: at least one timed step per round.");
        Check(WarmupSteps >= 0, "WarmupSteps: zero or more.");
        Check(Rounds >= 1, "Rounds: at least one timed round.");
        Check(MemoryCheckStep >= 1, "MemoryCheckStep: at least step 1.");
        Check(MemorySteps == 0 || MemorySteps >= MemoryCheckStep, $"MemorySteps: 0 (no memory run) or at least the check step ({MemoryCheckStep}).");
        Check(Threads >= 0, "Threads: 0 (torch's setting) or more.");
        Check(SgemmSize >= 1, "SgemmSize: at least 1.");
        Check(SgemmRepeats >= 1, "SgemmRepeats: at least one timed product.");
        Check(MallocMmapThreshold is null or (>= 1 and <= 32 * 1024 * 1024), "MallocMmapThreshold: null (glibc's default) or 1 byte to 32 MiB.");

        void Check(bool ok, string message)
        {
            if (!ok)
                throw new ArgumentOutOfRangeException(paramName, this, message);
        }
    }
}

/// <summary>The machine's float32 matrix-multiply speed: the fastest of several n×n <c>torch.matmul</c> after a warm-up.</summary>
/// <param name="Size">n.</param>
/// <param name="Threads">Torch intra-op threads used.</param>
/// <param name="Seconds">Each timed product.</param>
/// <param name="Gflops">2·n³ ÷ the fastest product's seconds, in 10⁹ FLOP/s.</param>
public sealed record SgemmMeasurement(int Size, int Threads, IReadOnlyList<double> Seconds, double Gflops);

/// <summary>Memory after one step of a memory run.</summary>
/// <param name="Step">Steps done (from 1).</param>
/// <param name="RssMegabytes">Resident set (VmRSS) after the step, MiB.</param>
/// <param name="PeakRssMegabytes">The process's peak resident set (VmHWM) so far, MiB.</param>
public sealed record ResNetMemorySample(int Step, double RssMegabytes, double PeakRssMegabytes);

/// <summary>The resident memory of many training steps.</summary>
/// <param name="Loop">The loop that ran.</param>
/// <param name="Steps">Steps run.</param>
/// <param name="CheckStep">The early step compared with the end.</param>
/// <param name="FreshProcess">Whether the run had its process to itself (then the peaks are its own; VmHWM is per process and never goes down).</param>
/// <param name="StartRssMegabytes">VmRSS with the model built, before the first step, MiB.</param>
/// <param name="PeakAtCheckStepMegabytes">VmHWM after <paramref name="CheckStep"/> steps, MiB.</param>
/// <param name="PeakRssMegabytes">VmHWM after the last step, MiB.</param>
/// <param name="Samples">VmRSS and VmHWM after every step.</param>
public sealed record ResNetMemoryRun(ResNetStepLoop Loop, int Steps, int CheckStep, bool FreshProcess, double StartRssMegabytes,
    double PeakAtCheckStepMegabytes, double PeakRssMegabytes, IReadOnlyList<ResNetMemorySample> Samples)
{
    /// <summary>Final peak ÷ peak after <see cref="CheckStep"/> steps (flat memory: ≤ <see cref="ResNetStepBenchmarkReport.FlatMemoryRatio"/>).</summary>
    public double PeakRatio => PeakRssMegabytes / PeakAtCheckStepMegabytes;
}

/// <summary>
/// A ResNet training step through <see cref="Trainer.Fit"/> against a bare loop, its arithmetic rate against the
/// machine's matrix-multiply peak, and its memory.
/// </summary>
/// <remarks>
/// FLOP convention: a multiply-add is 2 FLOPs; forward FLOPs per image = 2 × <see cref="MultiplyAddsPerImage"/>
/// (convolutions and the linear layer, from <see cref="ModelSummary"/>; batch norm, ReLU, pooling, the loss and the
/// optimiser are not counted); a training step ≈ 3 × forward (the backward pass computes gradients for the inputs and
/// for the weights, each about one forward's work; the first convolution's input gradient, which is not needed, is
/// counted anyway). So <see cref="TrainingFlopsPerStep"/> = 3 × 2 × MACs × batch, and GFLOP/s = that ÷ seconds per step ÷ 10⁹.
/// </remarks>
/// <param name="Options">What was measured.</param>
/// <param name="ModelName">The network's display name, e.g. "CIFAR ResNet-18".</param>
/// <param name="Parameters">Its parameter count.</param>
/// <param name="ImageSize">Image height and width fed to it.</param>
/// <param name="MultiplyAddsPerImage">Multiply-adds of one forward pass of one image (<see cref="ModelSummary.TotalMultiplyAdds"/>).</param>
/// <param name="TrainingFlopsPerStep">3 × 2 × <paramref name="MultiplyAddsPerImage"/> × batch size.</param>
/// <param name="TrainerSecondsPerStep">The trainer's seconds per step in each timed round.</param>
/// <param name="BareSecondsPerStep">The bare loop's seconds per step in each timed round.</param>
/// <param name="Ratio">Fastest trainer step ÷ fastest bare step: on a shared machine the minimum is the time least disturbed by other work.</param>
/// <param name="MedianRatio">Median trainer step ÷ median bare step (noisier under load).</param>
/// <param name="TrainerGflops">Training FLOPs per step ÷ the trainer's fastest seconds per step, 10⁹/s.</param>
/// <param name="BareGflops">The same for the bare loop.</param>
/// <param name="Sgemm">The machine's measured matrix-multiply peak, with the same thread count.</param>
/// <param name="Threads">Torch intra-op threads used for everything.</param>
/// <param name="SameWeights">Whether the trainer and the bare loop ended every round with bit-identical weights and buffers (same seed, same batches).</param>
/// <param name="MaxWeightDifference">The largest absolute difference between their weights and buffers over all rounds (0 when identical).</param>
/// <param name="Memory">The memory run, or <see langword="null"/> if it was skipped.</param>
public sealed record ResNetStepBenchmarkReport(ResNetStepBenchmarkOptions Options, string ModelName, long Parameters, int ImageSize, long MultiplyAddsPerImage,
    double TrainingFlopsPerStep, IReadOnlyList<double> TrainerSecondsPerStep, IReadOnlyList<double> BareSecondsPerStep, double Ratio, double MedianRatio,
    double TrainerGflops, double BareGflops, SgemmMeasurement Sgemm, int Threads, bool SameWeights, double MaxWeightDifference, ResNetMemoryRun? Memory)
{
    /// <summary>The overhead target: the trainer's step within 5 % of the bare loop's.</summary>
    public const double TargetRatio = 1.05;

    /// <summary>The speed target: the trainer's GFLOP/s at least 70 % of the matrix-multiply peak.</summary>
    public const double TargetFractionOfPeak = 0.70;

    /// <summary>The memory target: peak resident set at most 1.3 GB = 1.3·10⁹ bytes (≈ 1,240 MiB).</summary>
    public const double PeakRssLimitMegabytes = 1.3e9 / (1024 * 1024);

    /// <summary>Flat memory: the final peak at most 10 % above the peak after the check step.</summary>
    public const double FlatMemoryRatio = 1.10;

    /// <summary>The trainer's GFLOP/s ÷ the matrix-multiply peak.</summary>
    public double FractionOfPeak => TrainerGflops / Sgemm.Gflops;

    /// <summary>Whether <see cref="Ratio"/> ≤ <see cref="TargetRatio"/>.</summary>
    public bool RatioWithinTarget => Ratio <= TargetRatio;

    /// <summary>Whether <see cref="FractionOfPeak"/> ≥ <see cref="TargetFractionOfPeak"/>.</summary>
    public bool FractionOfPeakMet => FractionOfPeak >= TargetFractionOfPeak;

    /// <summary>Whether the memory run's final peak is within <see cref="PeakRssLimitMegabytes"/> (<see langword="null"/> without a memory run).</summary>
    public bool? PeakRssWithinLimit => Memory is null ? null : Memory.PeakRssMegabytes <= PeakRssLimitMegabytes;

    /// <summary>Whether the memory run's peak stayed flat (<see cref="ResNetMemoryRun.PeakRatio"/> ≤ <see cref="FlatMemoryRatio"/>; <see langword="null"/> without a memory run).</summary>
    public bool? MemoryFlat => Memory is null ? null : Memory.PeakRatio <= FlatMemoryRatio;

    /// <summary>Whether every target is met (the memory targets count only if measured) and the weights agree.</summary>
    public bool AllTargetsMet => RatioWithinTarget && FractionOfPeakMet && PeakRssWithinLimit != false && MemoryFlat != false && SameWeights;

    /// <summary>The charts: seconds per step in each round (trainer, bare loop), and resident memory per step of the memory run if there is one.</summary>
    public IReadOnlyDictionary<string, Figure> Charts()
    {
        var rounds = Enumerable.Range(1, TrainerSecondsPerStep.Count).Select(r => (double)r).ToArray();
        var charts = new Dictionary<string, Figure>
        {
            ["resnet-step-time"] = new Figure($"{ModelName}, batch {Options.BatchSize}: seconds per training step",
                Trace.Markers("Trainer", rounds, TrainerSecondsPerStep), Trace.Markers("bare loop", rounds, BareSecondsPerStep)).WithAxisTitles("round", "seconds per step"),
        };
        if (Memory is { } m)
        {
            var steps = m.Samples.Select(s => (double)s.Step).ToArray();
            charts["resnet-step-memory"] = new Figure($"{ModelName}, batch {Options.BatchSize}: resident memory per step ({m.Loop})",
                Trace.Line("VmRSS", steps, m.Samples.Select(s => s.RssMegabytes).ToArray()),
                Trace.Line("peak (VmHWM)", steps, m.Samples.Select(s => s.PeakRssMegabytes).ToArray())).WithAxisTitles("step", "MiB");
        }
        return charts;
    }
}

/// <summary>
/// Benchmarks a ResNet training step (a benchmark, not a unit test): forward + backward + SGD with momentum (lr
/// <see cref="LearningRate"/>, momentum <see cref="Momentum"/>) on synthetic random images, through
/// <see cref="Trainer.Fit"/> and through the bare loop <see cref="TrainerBenchmark"/> also measures against, in
/// interleaved rounds from the same initial weights on the same batches (so both must end with the same weights);
/// the achieved GFLOP/s against the measured float32 matrix-multiply peak; and the resident memory of a long run.
/// </summary>
/// <remarks>
/// Memory: VmHWM (the kernel's peak resident set) is per process and never goes down, so
/// <see cref="RunMemory"/> gives the step's own peak only in a fresh process — <c>studydl bench resnet</c> runs it
/// in a child process. <see cref="Run"/> with <c>measureMemory</c> runs it first in the calling process, whose
/// earlier peaks then count too.
/// </remarks>
public static class ResNetStepBenchmark
{
    /// <summary>SGD's learning rate in both loops.</summary>
    public const double LearningRate = 0.01;

    /// <summary>SGD's momentum in both loops.</summary>
    public const double Momentum = 0.9;

    private const int Classes = 10;
    private const int Channels = 3;
    private const double MiB = 1024 * 1024;

    /// <summary>Measures the matrix-multiply peak, then times the rounds, after a memory run in this process if asked.</summary>
    /// <param name="options">Model, sizes, steps, rounds; <see langword="null"/> for the defaults.</param>
    /// <param name="measureMemory">Also run <see cref="RunMemory"/> (first, in this process) when <see cref="ResNetStepBenchmarkOptions.MemorySteps"/> &gt; 0.</param>
    /// <param name="progress">Receives a line per measurement, round and 20 memory steps, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <exception cref="ArgumentException">An unknown model or a size, step or round count out of range.</exception>
    /// <exception cref="InvalidOperationException"><see cref="ResNetStepBenchmarkOptions.MallocMmapThreshold"/> is set where glibc's mallopt is not available.</exception>
    public static ResNetStepBenchmarkReport Run(ResNetStepBenchmarkOptions? options = null, bool measureMemory = true, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new ResNetStepBenchmarkOptions();
        options.Validate();
        TorchRuntime.EnsureLoaded();
        var memory = measureMemory && options.MemorySteps > 0 ? RunMemory(options, ResNetStepLoop.Trainer, freshProcess: false, progress, cancellationToken) : null;
        return WithThreads(options, threads =>
        {
            var sgemm = MeasureSgemm(options.SgemmSize, options.SgemmRepeats, progress, cancellationToken);
            return Time(options, threads, sgemm, memory, progress, cancellationToken);
        });
    }

    /// <summary>
    /// Trains a fresh model for <see cref="ResNetStepBenchmarkOptions.MemorySteps"/> steps and reads the process's
    /// resident set (VmRSS) and peak (VmHWM) after every step.
    /// </summary>
    /// <param name="options">Model, batch size, steps, check step, seed, threads.</param>
    /// <param name="loop">The trainer or the bare loop.</param>
    /// <param name="freshProcess">Whether the caller started this process for the run alone (recorded in the result).</param>
    /// <param name="progress">Receives a line every 20 steps, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <exception cref="ArgumentException">Bad options, or <see cref="ResNetStepBenchmarkOptions.MemorySteps"/> = 0.</exception>
    /// <exception cref="InvalidOperationException"><see cref="ResNetStepBenchmarkOptions.MallocMmapThreshold"/> is set where glibc's mallopt is not available.</exception>
    public static ResNetMemoryRun RunMemory(ResNetStepBenchmarkOptions options, ResNetStepLoop loop = ResNetStepLoop.Trainer, bool freshProcess = false,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.MemorySteps == 0)
            throw new ArgumentOutOfRangeException(nameof(options), options, "MemorySteps: a memory run needs at least the check step's number of steps.");
        if (!Enum.IsDefined(loop))
            throw new ArgumentOutOfRangeException(nameof(loop), loop, "Unknown loop.");
        TorchRuntime.EnsureLoaded();
        return WithThreads(options, _ =>
        {
            using var model = CreateModel(options, out var size);
            var source = new SyntheticImageSource(options.MemorySteps, options.BatchSize, Channels, size, Classes, options.Seed);
            var start = ProcessMemory.Read().Current / MiB;
            var samples = new List<ResNetMemorySample>();
            void AfterStep(int step)
            {
                var (rss, peak) = ProcessMemory.Read();
                samples.Add(new ResNetMemorySample(step, rss / MiB, peak / MiB));
                if (step % 20 == 0 || step == options.MemoryCheckStep)
                    progress?.Report(string.Create(CultureInfo.InvariantCulture, $"memory ({loop}): step {step}/{options.MemorySteps}, RSS {rss / MiB:F0} MiB, peak {peak / MiB:F0} MiB"));
            }

            if (loop == ResNetStepLoop.Trainer)
            {
                var trainerOptions = TrainerOptionsFor(options) with { Callbacks = new TrainerCallbacks { OnBatchEnd = b => AfterStep(b.Batch) } };
                Trainer.Fit(model, source, null, trainerOptions, null, cancellationToken);
            }
            else
            {
                using var optimizer = CreateBareOptimizer(model);
                BareTrainingLoop.TrainEpoch(model, optimizer, source, options.Seed, ComputeDevice.Current, AfterStep, cancellationToken);
            }
            if (samples.Count < options.MemoryCheckStep)
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The memory run stopped after {samples.Count} of {options.MemorySteps} steps (the loss diverged), before the check step {options.MemoryCheckStep}."));
            return new ResNetMemoryRun(loop, samples.Count, options.MemoryCheckStep, freshProcess, start,
                samples[options.MemoryCheckStep - 1].PeakRssMegabytes, ProcessMemory.Read().Peak / MiB, samples);
        });
    }

    /// <summary>The machine's float32 matrix-multiply rate with torch's current thread count: the fastest of <paramref name="repeats"/> n×n products after one untimed product.</summary>
    /// <param name="size">n (4096 for the benchmark).</param>
    /// <param name="repeats">Timed products.</param>
    /// <param name="progress">Receives one line, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between products.</param>
    public static SgemmMeasurement MeasureSgemm(int size = 4096, int repeats = 5, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var generator = new Generator(12345);
        var a = rand([size, size], generator: generator);
        var b = rand([size, size], generator: generator);
        matmul(a, b).Dispose();
        var seconds = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            matmul(a, b).Dispose();
            seconds.Add(clock.Elapsed.TotalSeconds);
        }
        var gflops = 2.0 * size * size * size / seconds.Min() / 1e9;
        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"sgemm {size}×{size}, {get_num_threads()} threads: {gflops:F1} GFLOP/s (fastest of {repeats})"));
        return new SgemmMeasurement(size, get_num_threads(), seconds, gflops);
    }

    /// <summary>Multiply-adds of one forward pass of one image through the named model at its natural image size (from <see cref="ModelSummary"/>).</summary>
    /// <param name="model">A name from <see cref="ResNetModels.Names"/>.</param>
    public static long MultiplyAddsPerImage(string model)
    {
        using var network = CreateModel(new ResNetStepBenchmarkOptions(model), out var size);
        return ModelSummary.Of(network, [Channels, size, size]).TotalMultiplyAdds;
    }

    private static ResNetStepBenchmarkReport Time(ResNetStepBenchmarkOptions options, int threads, SgemmMeasurement sgemm, ResNetMemoryRun? memory,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        string name;
        long parameters, macs;
        int size;
        using (var probe = CreateModel(options, out size))
        {
            name = (probe as IResidualNetwork)?.Name ?? options.Model;
            parameters = ResNetModels.CountParameters(probe);
            macs = ModelSummary.Of(probe, [Channels, size, size]).TotalMultiplyAdds;
        }
        var flops = 3.0 * 2.0 * macs * options.BatchSize;
        var timed = new SyntheticImageSource(options.Steps, options.BatchSize, Channels, size, Classes, options.Seed);
        var warmup = options.WarmupSteps > 0 ? new SyntheticImageSource(options.WarmupSteps, options.BatchSize, Channels, size, Classes, options.Seed) : null;
        var trainerOptions = TrainerOptionsFor(options);

        var trainerTimes = new List<double>();
        var bareTimes = new List<double>();
        var maxDifference = 0.0;
        for (var round = warmup is null ? 1 : 0; round <= options.Rounds; round++) // round 0 warms up
        {
            cancellationToken.ThrowIfCancellationRequested();
            var source = round == 0 ? warmup! : timed;
            using var a = CreateModel(options, out _);
            using var b = CreateModel(options, out _);
            // b starts from a copy of a's weights rather than from the same seed: torch's generator is shared by the
            // whole process, and anything else drawing from it meanwhile (another thread) would change b's weights.
            b.load_state_dict(a.state_dict());
            double TrainerRun() => BareTrainingLoop.Time(() => Trainer.Fit(a, source, null, trainerOptions, null, cancellationToken));
            double BareRun() => BareTrainingLoop.Time(() =>
            {
                using var optimizer = CreateBareOptimizer(b);
                BareTrainingLoop.TrainEpoch(b, optimizer, source, options.Seed, trainerOptions.Device, null, cancellationToken);
            });
            // Alternate which variant goes first, so that neither always runs on a machine the other has just warmed or tired.
            double trainerTime, bareTime;
            if (round % 2 == 0)
            {
                trainerTime = TrainerRun();
                bareTime = BareRun();
            }
            else
            {
                bareTime = BareRun();
                trainerTime = TrainerRun();
            }
            maxDifference = Math.Max(maxDifference, BareTrainingLoop.MaxStateDifference(a, b));
            var steps = round == 0 ? options.WarmupSteps : options.Steps;
            progress?.Report(string.Create(CultureInfo.InvariantCulture,
                $"{(round == 0 ? "warm-up" : $"round {round}/{options.Rounds}")}: trainer {trainerTime / steps:F3} s/step, bare loop {bareTime / steps:F3} s/step"));
            if (round == 0)
                continue;
            trainerTimes.Add(trainerTime / steps);
            bareTimes.Add(bareTime / steps);
        }

        return new ResNetStepBenchmarkReport(options, name, parameters, size, macs, flops, trainerTimes, bareTimes,
            trainerTimes.Min() / bareTimes.Min(), Statistics.Median(trainerTimes) / Statistics.Median(bareTimes),
            flops / trainerTimes.Min() / 1e9, flops / bareTimes.Min() / 1e9, sgemm, threads, maxDifference == 0, maxDifference, memory);
    }

    private static T WithThreads<T>(ResNetStepBenchmarkOptions options, Func<int, T> run)
    {
        if (options.MallocMmapThreshold is { } threshold && !ProcessMemory.SetMallocMmapThreshold(threshold))
            throw new InvalidOperationException("MallocMmapThreshold needs Linux with glibc (mallopt); leave it unset on this system.");
        var previous = get_num_threads();
        var threads = options.Threads > 0 ? options.Threads : previous;
        set_num_threads(threads);
        try
        {
            return run(threads);
        }
        finally
        {
            set_num_threads(previous);
        }
    }

    private static nn.Module<Tensor, Tensor> CreateModel(ResNetStepBenchmarkOptions options, out int imageSize)
    {
        random.manual_seed(options.Seed);
        var model = ResNetModels.Create(options.Model, Channels, Classes);
        imageSize = (model as IResidualNetwork)?.NaturalImageSize ?? 32;
        model.to(ComputeDevice.Current);
        return model;
    }

    private static TrainerOptions TrainerOptionsFor(ResNetStepBenchmarkOptions options) => new()
    {
        Epochs = 1,
        Optimizer = new OptimizerSpec(OptimizerKind.Momentum, LearningRate) { Momentum = Momentum },
        RestoreBestWeights = false,
        ProgressInterval = int.MaxValue,
        Seed = options.Seed,
        Device = ComputeDevice.Current,
    };

    private static TorchSharp.Modules.SGD CreateBareOptimizer(nn.Module model) => optim.SGD(model.parameters(), LearningRate, momentum: Momentum);
}
