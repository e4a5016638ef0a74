using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Data;

namespace Studying.DeepLearning.Training;

/// <summary>
/// Trains a classifier (an <c>nn.Module&lt;Tensor, Tensor&gt;</c> that returns logits [batch, classes]) over an
/// <see cref="IBatchSource"/>, epoch by epoch: train mode and a dispose scope per step, cross-entropy on the logits,
/// validation in eval mode under <c>no_grad</c>, a per-epoch learning-rate schedule, best-epoch tracking, early
/// stopping, atomic checkpoints, resume, cancellation and divergence detection.
/// </summary>
/// <remarks>
/// <para>Device and randomness are the run's own: the model trains on <see cref="TrainerOptions.Device"/>, and every
/// epoch draws from a generator of its own, <see cref="EpochGenerator"/>(<see cref="TrainerOptions.Seed"/>, epoch),
/// made current through <see cref="TrainingRandom"/> for that epoch (what <see cref="GeneratorDropout"/> draws from).
/// The trainer never seeds or draws from torch's global generator, so runs on several threads at once, or code
/// drawing from the global generator meanwhile, do not change a run.</para>
/// <para>Determinism: the sources seed their shuffles by epoch and the generator is made from the seed and the epoch,
/// so with the same initial weights the same options give the same history and weights, and a resumed run ends with
/// the same weights as an uninterrupted one (bit for bit on the CPU). Models must draw their randomness through
/// <see cref="TrainingRandom"/>: <c>nn.Dropout</c> still draws from the global generator.</para>
/// <para>Divergence: every training loss is read before its update; a NaN or infinite loss stops training before
/// the update (<see cref="StopReason.Diverged"/>, with epoch, batch and value in the message), and the best weights
/// are restored if <see cref="TrainerOptions.RestoreBestWeights"/> is set.</para>
/// <para>Cancellation throws <see cref="TrainingCanceledException"/> (an <see cref="OperationCanceledException"/>)
/// between batches, carrying the completed epochs; the last checkpoint stays intact.</para>
/// </remarks>
public static partial class Trainer
{
    /// <summary>Trains from the model's current weights.</summary>
    /// <param name="model">The classifier; its output must be logits [batch, classes] with classes = the sources' class count.</param>
    /// <param name="train">The training batches.</param>
    /// <param name="validation">The validation batches, or <see langword="null"/> (then no best epoch, early stopping or weight restore).</param>
    /// <param name="options">Epochs, optimiser, schedule, early stopping, checkpoints, seed.</param>
    /// <param name="progress">Receives <see cref="TrainingProgress"/> during and after each epoch (through <see cref="TrainerCallbacks.FromProgress"/>, after <see cref="TrainerOptions.Callbacks"/>), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops training between batches (see <see cref="TrainingCanceledException"/>).</param>
    /// <exception cref="ArgumentException">Bad options, empty sources, mismatched class names, or a model whose output does not fit the classes.</exception>
    /// <exception cref="IOException">The checkpoint folder cannot be written, or another run holds it (checked before the first epoch).</exception>
    /// <exception cref="InvalidOperationException">The checkpoint folder holds another run's checkpoints and <see cref="TrainerOptions.OverwriteCheckpoints"/> is off.</exception>
    public static TrainingResult Fit(nn.Module<Tensor, Tensor> model, IBatchSource train, IBatchSource? validation, TrainerOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Run(model, train, validation, options, null, progress, cancellationToken);

    /// <summary>
    /// Continues a run from a <see cref="TrainingCheckpoint.LastFileName"/> checkpoint: loads weights and optimiser
    /// state, keeps the history, and trains from the next epoch up to <see cref="TrainerOptions.Epochs"/>. With the
    /// same options and sources the result equals the uninterrupted run's.
    /// </summary>
    /// <param name="model">A model of the same architecture as the checkpointed one.</param>
    /// <param name="train">The training batches.</param>
    /// <param name="validation">The validation batches, or <see langword="null"/>.</param>
    /// <param name="options">The run's options (the same seed as the checkpoint's).</param>
    /// <param name="checkpoint">The <c>last.ckpt</c> file to resume from; <c>best.pt</c> beside it supplies the best weights so far.</param>
    /// <param name="progress">Receives progress, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <exception cref="InvalidDataException">The checkpoint or <c>best.pt</c> is unreadable, corrupt (checksum), inconsistent, from another run, or does not fit the model.</exception>
    /// <exception cref="InvalidOperationException">The options differ from the run's where they change the meaning of its history, or ask for fewer epochs than done.</exception>
    public static TrainingResult Resume(nn.Module<Tensor, Tensor> model, IBatchSource train, IBatchSource? validation, TrainerOptions options, string checkpoint,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpoint);
        return Run(model, train, validation, options, checkpoint, progress, cancellationToken);
    }

    private static TrainingResult Run(nn.Module<Tensor, Tensor> model, IBatchSource train, IBatchSource? validation, TrainerOptions options,
        string? resumeFrom, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(validation is not null, nameof(options));
        var classNames = CheckSources(train, validation);
        TorchRuntime.EnsureLoaded();
        using var checkpoints = CheckpointFolder.Open(options.CheckpointFolder, resumeFrom, options.OverwriteCheckpoints);
        var lastPath = checkpoints?.LastPath;
        var definition = CheckpointFolder.Define(options, train, validation);
        var runId = Guid.NewGuid();

        var device = options.Device;
        var callbacks = TrainerCallbacks.Combine(options.Callbacks, progress is null ? null : TrainerCallbacks.FromProgress(progress, options.ProgressInterval));
        model.to(device);
        using var optimizer = options.CreateOptimizer(model.parameters());
        var groups = optimizer.ParamGroups.ToArray();
        var baseRates = groups.Select(g => g.LearningRate).ToArray();
        var monitor = new BestMonitor(options.Monitor, options.EarlyStopping?.MinDelta ?? 0);
        var history = new List<EpochRecord>();
        Dictionary<string, Tensor>? best = null;
        var startEpoch = 0;
        try
        {
            if (resumeFrom is not null)
            {
                var info = CheckpointFolder.LoadForResume(resumeFrom, model, optimizer, definition, options.Epochs, classNames);
                runId = info.RunId;
                history.AddRange(info.History.Epochs);
                startEpoch = info.CompletedEpochs;
                monitor.Restore(info.BestEpoch, info.BestValue, info.EpochsWithoutImprovement);
                if (validation is not null && info.BestEpoch is not null)
                    best = CheckpointFolder.ReadBest(resumeFrom, info, model);
            }

            var stop = StopReason.Completed;
            Divergence? divergence = null;
            int? batchesPerEpoch = null;
            var rate = double.NaN;
            for (var epoch = startEpoch + 1; epoch <= options.Epochs; epoch++)
            {
                ThrowIfCancelled(history, lastPath, epoch, cancellationToken);
                using var generator = EpochGenerator(options.Seed, epoch, device);
                using var ambient = TrainingRandom.Use(generator);
                for (var g = 0; g < groups.Length; g++)
                {
                    groups[g].LearningRate = options.Schedule.RateAt(epoch, baseRates[g], options.Epochs);
                    if (g == 0)
                        rate = groups[g].LearningRate;
                }

                var clock = Stopwatch.StartNew();
                var context = new PassContext(classNames, options.Loss ?? CrossEntropy, cancellationToken) { Device = device };
                model.train();
                var trained = TrainEpoch(model, optimizer, train, epoch, options, batchesPerEpoch, context, callbacks, history, lastPath, clock);
                rate = trained.LastRate ?? rate;
                if (trained.Divergence is not null)
                {
                    divergence = trained.Divergence;
                    stop = StopReason.Diverged;
                    break;
                }
                batchesPerEpoch = trained.Batches;

                Pass? validated = null;
                if (validation is not null)
                {
                    model.eval();
                    validated = EvaluationPass(model, validation, epoch, confusion: false, context with { Source = "validation" }, () => ThrowIfCancelled(history, lastPath, epoch, cancellationToken));
                    if (validated.Divergence is not null)
                    {
                        divergence = validated.Divergence;
                        stop = StopReason.Diverged;
                        break;
                    }
                }

                var record = new EpochRecord(epoch, trained.Loss, trained.Accuracy, validated?.Loss, validated?.Accuracy, rate, clock.Elapsed.TotalSeconds);
                history.Add(record);
                if (validated is not null && monitor.Update(epoch, options.Monitor == MonitoredMetric.ValidationLoss ? validated.Loss : validated.Accuracy))
                {
                    if (options.RestoreBestWeights)
                        best = Snapshot(model, best);
                    if (checkpoints is not null)
                        WriteCheckpoint(epoch, () => checkpoints.WriteBest(model, runId, epoch));
                }
                if (checkpoints is not null)
                {
                    var info = new CheckpointInfo(epoch, options.Seed, optimizer.GetType().Name, classNames, new TrainingHistory([.. history]), monitor.BestEpoch, monitor.BestValue, monitor.SinceBest, runId, definition);
                    WriteCheckpoint(epoch, () => checkpoints.WriteLast(info, model, optimizer));
                }
                callbacks?.OnEpochEnd?.Invoke(new EpochEnd(record, options.Epochs, trained.Batches, trained.Samples, train.SampleCount, new TrainingHistory([.. history])));
                if (options.EarlyStopping is { } stopping && monitor.SinceBest >= stopping.Patience)
                {
                    stop = StopReason.EarlyStopped;
                    break;
                }
            }

            var restored = false;
            if (options.RestoreBestWeights && best is not null)
            {
                model.load_state_dict(best);
                restored = true;
            }
            return new TrainingResult(new TrainingHistory(history), stop, Describe(stop, divergence, history, monitor, options, restored, rate),
                monitor.BestEpoch, monitor.BestValue, restored, divergence);
        }
        finally
        {
            if (best is not null)
            {
                foreach (var tensor in best.Values)
                    tensor.Dispose();
            }
        }
    }

    private static Tensor CrossEntropy(Tensor logits, Tensor targets) => nn.functional.cross_entropy(logits, targets);

    /// <summary>
    /// The generator an epoch of <see cref="Fit"/> draws from: a new <c>torch.Generator</c> on <paramref name="device"/>
    /// seeded with <see cref="EpochSeed"/>. A hand-written loop that makes it current with <see cref="TrainingRandom.Use"/>
    /// draws the same numbers as the trainer. Dispose it after the epoch.
    /// </summary>
    /// <param name="seed">The run's <see cref="TrainerOptions.Seed"/>.</param>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="device">The device the run trains on.</param>
    public static torch.Generator EpochGenerator(long seed, int epoch, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, 1);
        TorchRuntime.EnsureLoaded();
        return new torch.Generator((ulong)EpochSeed(seed, epoch), device);
    }

    /// <summary>
    /// The seed of an epoch's randomness (dropout, random initialisation inside the epoch): SplitMix64 of the run's seed
    /// and the epoch, so neighbouring seeds do not share epochs. A hand-written loop that seeds the same way draws the
    /// same numbers as the trainer.
    /// </summary>
    /// <param name="seed">The run's <see cref="TrainerOptions.Seed"/>.</param>
    /// <param name="epoch">The epoch, from 1.</param>
    public static long EpochSeed(long seed, int epoch)
    {
        unchecked
        {
            var z = (ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)epoch * 0xBF58476D1CE4E5B9UL + 0x94D049BB133111EBUL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return (long)((z ^ (z >> 31)) & long.MaxValue);
        }
    }

    private static void ThrowIfCancelled(List<EpochRecord> history, string? lastPath, int epoch, CancellationToken cancellationToken)
    {
        if (!cancellationToken.IsCancellationRequested)
            return;
        var checkpoint = lastPath is not null && File.Exists(lastPath) ? lastPath : null;
        throw new TrainingCanceledException(
            string.Create(CultureInfo.InvariantCulture, $"Training was cancelled during epoch {epoch} after {history.Count} completed epoch{(history.Count == 1 ? "" : "s")}; ")
            + (checkpoint is null ? "no checkpoint was written." : $"the checkpoint {checkpoint} holds the end of epoch {epoch - 1} and can be resumed."),
            new TrainingHistory([.. history]), checkpoint, cancellationToken);
    }

    private static string Describe(StopReason stop, Divergence? divergence, List<EpochRecord> history, BestMonitor monitor, TrainerOptions options, bool restored, double rate)
    {
        var best = monitor.BestEpoch is { } e
            ? string.Create(CultureInfo.InvariantCulture, $" Best epoch {e} ({options.Monitor} {monitor.BestValue:G4}){(restored ? ", whose weights the model now holds" : "")}.")
            : "";
        return stop switch
        {
            StopReason.Diverged => divergence!.Reason
                + string.Create(CultureInfo.InvariantCulture, $" Lower the learning rate (this epoch's rate is {rate:G3}) or check the inputs for NaN.{best}"),
            StopReason.EarlyStopped => string.Create(CultureInfo.InvariantCulture,
                $"Stopped early after epoch {history.Count}: {options.Monitor} did not improve by more than {options.EarlyStopping!.MinDelta:G3} for {options.EarlyStopping.Patience} epoch{(options.EarlyStopping.Patience == 1 ? "" : "s")}.{best}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"Completed {history.Count} epoch{(history.Count == 1 ? "" : "s")}.{best}"),
        };
    }
}
