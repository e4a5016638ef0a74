using System.Globalization;
using System.Text.Json.Serialization;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.TorchBasics;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

using Studying.DeepLearning.Data;

namespace Studying.DeepLearning.Benchmarks;

/// <summary>Settings of <see cref="TrainerBenchmark.Run"/>.</summary>
/// <param name="Samples">Training samples per epoch (Gaussian blobs); the validation pass uses a quarter as many.</param>
/// <param name="BatchSize">Samples per batch.</param>
/// <param name="Features">Input features (the MLP is features → Hidden → 10).</param>
/// <param name="Hidden">Hidden units of the MLP.</param>
/// <param name="Rounds">Timed rounds of each variant, interleaved; the fastest of each is compared.</param>
public sealed record TrainerBenchmarkOptions(int Samples = 32768, int BatchSize = 64, int Features = 64, int Hidden = 256, int Rounds = 15);

/// <summary>One epoch (training + validation) through <see cref="Trainer.Fit"/> against the same epoch in a bare loop.</summary>
/// <param name="Options">What was measured.</param>
/// <param name="Batches">Training batches per epoch.</param>
/// <param name="TrainerSeconds">The trainer's epoch time in each round.</param>
/// <param name="BareSeconds">The bare loop's epoch time in each round.</param>
/// <param name="Ratio">Fastest trainer epoch ÷ fastest bare epoch: on a shared machine the minimum is the time least disturbed by other work.</param>
/// <param name="MedianRatio">Median trainer time ÷ median bare time (noisier under load).</param>
/// <param name="Threads">Torch intra-op threads used (one, so that the two variants do not differ by thread scheduling).</param>
/// <param name="SameWeights">Whether both ended with bit-identical weights (they should: same model, batches and seed).</param>
public sealed record TrainerBenchmarkReport(TrainerBenchmarkOptions Options, int Batches, IReadOnlyList<double> TrainerSeconds, IReadOnlyList<double> BareSeconds, double Ratio, double MedianRatio, int Threads, bool SameWeights)
{
    /// <summary>The overhead target: the trainer within 3 % of the bare loop.</summary>
    public const double TargetRatio = 1.03;

    /// <summary>Whether <see cref="Ratio"/> is within <see cref="TargetRatio"/>.</summary>
    public bool WithinTarget => Ratio <= TargetRatio;

    /// <summary>Epoch times per round, trainer against bare loop.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, Figure> Figures { get; init; } = new Dictionary<string, Figure>();
}

/// <summary>
/// Measures the <see cref="Trainer"/>'s overhead (a benchmark, not a unit test): one epoch of an MLP on Gaussian blobs
/// with SGD + momentum, through the trainer and through a hand-written loop that measures what the trainer's epoch
/// record holds, the cheapest way (dispose scope per step, zero_grad, forward, cross-entropy, reading the loss,
/// backward, step, correct predictions summed into a tensor read once; then an eval pass). Both start from the same
/// weights and see the same batches, and must end with identical weights.
/// </summary>
public static class TrainerBenchmark
{
    /// <summary>Runs the comparison.</summary>
    /// <param name="options">Sizes and rounds.</param>
    /// <param name="progress">Receives a line per round, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between rounds.</param>
    public static TrainerBenchmarkReport Run(TrainerBenchmarkOptions? options = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new TrainerBenchmarkOptions();
        if (options.Samples < 1 || options.BatchSize < 1 || options.Features < 10 || options.Hidden < 1 || options.Rounds < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options, "Samples, batch size, hidden units and rounds must be positive, and features at least 10 (one axis per class).");
        TorchRuntime.EnsureLoaded();
        var train = new GaussianBlobSource(options.Samples, 10, options.Features, 3, options.BatchSize, seed: 1);
        var validation = new GaussianBlobSource(Math.Max(options.Samples / 4, 10), 10, options.Features, 3, options.BatchSize, seed: 2);
        var spec = new OptimizerSpec(OptimizerKind.Momentum, 0.01);
        var trainerOptions = new TrainerOptions { Epochs = 1, Optimizer = spec, RestoreBestWeights = false, ProgressInterval = int.MaxValue, Device = ComputeDevice.Current };

        var threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            return Measure(options, train, validation, spec, trainerOptions, progress, cancellationToken);
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    private static TrainerBenchmarkReport Measure(TrainerBenchmarkOptions options, GaussianBlobSource train, GaussianBlobSource validation, OptimizerSpec spec,
        TrainerOptions trainerOptions, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var trainerTimes = new List<double>();
        var bareTimes = new List<double>();
        var same = true;
        for (var round = 0; round <= options.Rounds; round++) // round 0 warms up
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var a = Mlp(options);
            using var b = Mlp(options);
            // Alternate which variant goes first, and start each from a collected heap, so neither pays the other's garbage.
            double trainerTime, bareTime;
            if (round % 2 == 0)
            {
                trainerTime = BareTrainingLoop.Time(() => Trainer.Fit(a, train, validation, trainerOptions, null, cancellationToken));
                bareTime = BareTrainingLoop.Time(() => BareEpoch(b, train, validation, spec, trainerOptions.Seed));
            }
            else
            {
                bareTime = BareTrainingLoop.Time(() => BareEpoch(b, train, validation, spec, trainerOptions.Seed));
                trainerTime = BareTrainingLoop.Time(() => Trainer.Fit(a, train, validation, trainerOptions, null, cancellationToken));
            }
            same &= BareTrainingLoop.SameWeights(a, b);
            if (round == 0)
                continue;
            trainerTimes.Add(trainerTime);
            bareTimes.Add(bareTime);
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"round {round}/{options.Rounds}: trainer {trainerTime:F3} s, bare loop {bareTime:F3} s"));
        }

        var ratio = trainerTimes.Min() / bareTimes.Min();
        var medianRatio = Statistics.Median(trainerTimes) / Statistics.Median(bareTimes);
        var rounds = Enumerable.Range(1, options.Rounds).Select(r => (double)r).ToArray();
        var figure = new Figure("Epoch time: Trainer against a bare loop",
            Trace.Markers("Trainer", rounds, trainerTimes), Trace.Markers("bare loop", rounds, bareTimes)).WithAxisTitles("round", "seconds per epoch");
        return new TrainerBenchmarkReport(options, (options.Samples + options.BatchSize - 1) / options.BatchSize, trainerTimes, bareTimes, ratio, medianRatio, 1, same)
        {
            Figures = new Dictionary<string, Figure> { ["trainer-overhead"] = figure },
        };
    }

    private static nn.Module<Tensor, Tensor> Mlp(TrainerBenchmarkOptions options)
    {
        torch.random.manual_seed(7);
        return nn.Sequential(nn.Linear(options.Features, options.Hidden), nn.ReLU(), nn.Linear(options.Hidden, 10));
    }

    /// <summary>The hand-written epoch the trainer is measured against.</summary>
    private static void BareEpoch(nn.Module<Tensor, Tensor> model, GaussianBlobSource train, GaussianBlobSource validation, OptimizerSpec spec, long seed)
    {
        using var optimizer = optim.SGD(model.parameters(), spec.LearningRate, momentum: spec.Momentum);
        var (total, correctTrain) = BareTrainingLoop.TrainEpoch(model, optimizer, train, seed, ComputeDevice.Current);
        model.eval();
        long correct = 0;
        using (no_grad())
        {
            foreach (var item in validation.GetBatches(1))
            {
                using var batch = item;
                using var scope = NewDisposeScope();
                var logits = model.call(batch.Inputs);
                total += nn.functional.cross_entropy(logits, batch.Targets).item<float>();
                correct += logits.argmax(1).eq(batch.Targets).sum().item<long>();
            }
        }
        GC.KeepAlive(total + correct + correctTrain);
    }
}
