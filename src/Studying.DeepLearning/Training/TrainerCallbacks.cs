using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Training;

/// <summary>
/// Hooks the <see cref="Trainer"/> calls on the training thread, inline, during a run (set
/// <see cref="TrainerOptions.Callbacks"/>): before every training step, after it, and after every epoch. Logging, a
/// progress bar, a live chart and per-step learning-rate schedules are built on them.
/// </summary>
/// <remarks>
/// <para>A per-step schedule sets the rate in <see cref="OnBatchStart"/> with <see cref="BatchStart.SetLearningRate"/>
/// (or per parameter group through <see cref="BatchStart.Optimizer"/>): it then applies to that step. The per-epoch
/// <see cref="TrainerOptions.Schedule"/> sets the rates at the start of every epoch, before the first
/// <see cref="OnBatchStart"/>; <see cref="BatchStart.ScheduledRate"/> tells a step schedule what it said. A schedule
/// computed from (epoch, batch) alone keeps a resumed run equal to an uninterrupted one.</para>
/// <para>A callback that throws ends the run with that exception (the last checkpoint stays intact). Callbacks must
/// not draw from torch's random generators or change the model's weights, or the run stops being reproducible.</para>
/// </remarks>
public sealed record TrainerCallbacks
{
    /// <summary>Before every training step (before zero_grad and the forward pass), or <see langword="null"/>.</summary>
    public Action<BatchStart>? OnBatchStart { get; init; }

    /// <summary>After every training step (the optimiser has stepped), or <see langword="null"/>.</summary>
    public Action<BatchEnd>? OnBatchEnd { get; init; }

    /// <summary>After every epoch: validated, recorded, checkpointed; or <see langword="null"/>.</summary>
    public Action<EpochEnd>? OnEpochEnd { get; init; }

    /// <summary>Both sets of hooks, <paramref name="first"/>'s before <paramref name="second"/>'s; either may be <see langword="null"/>.</summary>
    /// <param name="first">The hooks called first.</param>
    /// <param name="second">The hooks called second.</param>
    public static TrainerCallbacks? Combine(TrainerCallbacks? first, TrainerCallbacks? second)
    {
        if (first is null || second is null)
            return first ?? second;
        return new TrainerCallbacks
        {
            OnBatchStart = Chain(first.OnBatchStart, second.OnBatchStart),
            OnBatchEnd = Chain(first.OnBatchEnd, second.OnBatchEnd),
            OnEpochEnd = Chain(first.OnEpochEnd, second.OnEpochEnd),
        };
    }

    /// <summary>
    /// Hooks that send <see cref="TrainingProgress"/> reports: every <paramref name="interval"/> training batches and
    /// after an epoch's last one (with <see cref="TrainingProgress.Completed"/> <see langword="null"/>), then once
    /// with the finished epoch's record. <see cref="Trainer.Fit"/>'s progress argument is turned into these.
    /// </summary>
    /// <param name="progress">The receiver.</param>
    /// <param name="interval">Batches between reports within an epoch; at least one.</param>
    public static TrainerCallbacks FromProgress(IProgress<TrainingProgress> progress, int interval)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1);
        int? batchesPerEpoch = null;
        return new TrainerCallbacks
        {
            OnBatchEnd = b =>
            {
                batchesPerEpoch = b.BatchesPerEpoch;
                if (b.Batch % interval == 0)
                    progress.Report(new TrainingProgress(b.Epoch, b.Epochs, b.Batch, b.BatchesPerEpoch, b.Samples, b.SampleCount, b.RunningLoss, b.RunningAccuracy, null));
            },
            OnEpochEnd = e =>
            {
                var r = e.Record;
                if (e.Batches % interval != 0)
                    progress.Report(new TrainingProgress(r.Epoch, e.Epochs, e.Batches, batchesPerEpoch, e.Samples, e.SampleCount, r.TrainLoss, r.TrainAccuracy, null));
                progress.Report(new TrainingProgress(r.Epoch, e.Epochs, e.Batches, e.Batches, e.Samples, e.SampleCount, r.TrainLoss, r.TrainAccuracy, r));
            },
        };
    }

    private static Action<T>? Chain<T>(Action<T>? a, Action<T>? b) => a is null ? b : b is null ? a : value =>
    {
        a(value);
        b(value);
    };
}

/// <summary>What <see cref="TrainerCallbacks.OnBatchStart"/> sees: the step about to run, and the optimiser's learning rates to set for it.</summary>
public sealed class BatchStart
{
    private readonly optim.Optimizer optimizer;

    internal BatchStart(int epoch, int epochs, int batch, int? batchesPerEpoch, double scheduledRate, optim.Optimizer optimizer)
    {
        Epoch = epoch;
        Epochs = epochs;
        Batch = batch;
        BatchesPerEpoch = batchesPerEpoch;
        ScheduledRate = scheduledRate;
        this.optimizer = optimizer;
    }

    /// <summary>The epoch, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The run's number of epochs.</summary>
    public int Epochs { get; }

    /// <summary>The batch of this epoch about to be trained on, from 1.</summary>
    public int Batch { get; }

    /// <summary>
    /// Batches per epoch once an epoch of this call has finished (<see langword="null"/> during the first epoch of a
    /// call, resumed or not; compute it from the source, ⌈samples / batch size⌉, when a schedule needs it earlier).
    /// </summary>
    public int? BatchesPerEpoch { get; }

    /// <summary>The first parameter group's rate the per-epoch <see cref="TrainerOptions.Schedule"/> set for this epoch.</summary>
    public double ScheduledRate { get; }

    /// <summary>The first parameter group's learning rate as it stands (what this step uses unless changed).</summary>
    public double LearningRate => optimizer.ParamGroups.First().LearningRate;

    /// <summary>The optimiser, for per-group rates (<c>ParamGroups</c>); do not step it or change its state.</summary>
    public optim.Optimizer Optimizer => optimizer;

    /// <summary>Sets every parameter group's learning rate for this step (and later ones, until the next epoch's schedule).</summary>
    /// <param name="rate">A finite rate, zero or more.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite rate.</exception>
    public void SetLearningRate(double rate)
    {
        if (!(rate >= 0) || !double.IsFinite(rate))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"The learning rate set for epoch {Epoch}, batch {Batch} must be a finite number, zero or more.");
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = rate;
    }
}

/// <summary>What <see cref="TrainerOptions.Callbacks"/>' <see cref="TrainerCallbacks.OnBatchEnd"/> sees after a training step.</summary>
public sealed class BatchEnd
{
    private readonly Func<long> correct;
    private double? accuracy;

    internal BatchEnd(int epoch, int epochs, int batch, int? batchesPerEpoch, long samples, long sampleCount, double loss, double runningLoss,
        Func<long> correct, double learningRate, double? gradientNorm, TimeSpan elapsed)
    {
        Epoch = epoch;
        Epochs = epochs;
        Batch = batch;
        BatchesPerEpoch = batchesPerEpoch;
        Samples = samples;
        SampleCount = sampleCount;
        Loss = loss;
        RunningLoss = runningLoss;
        this.correct = correct;
        LearningRate = learningRate;
        GradientNorm = gradientNorm;
        Elapsed = elapsed;
    }

    /// <summary>The epoch, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The run's number of epochs.</summary>
    public int Epochs { get; }

    /// <summary>The batch of this epoch just trained on, from 1.</summary>
    public int Batch { get; }

    /// <summary>Batches per epoch once an epoch of this call has finished, else <see langword="null"/> (see <see cref="BatchStart.BatchesPerEpoch"/>).</summary>
    public int? BatchesPerEpoch { get; }

    /// <summary>Training samples done in this epoch.</summary>
    public long Samples { get; }

    /// <summary>Training samples in an epoch.</summary>
    public long SampleCount { get; }

    /// <summary>This batch's mean loss (before the step).</summary>
    public double Loss { get; }

    /// <summary>Mean training loss of the epoch so far.</summary>
    public double RunningLoss { get; }

    /// <summary>Training accuracy of the epoch so far (read from the device when first asked, during the callback only).</summary>
    public double RunningAccuracy => accuracy ??= (double)correct() / Samples;

    /// <summary>The first parameter group's learning rate this step used.</summary>
    public double LearningRate { get; }

    /// <summary>The gradients' total L2 norm before clipping when <see cref="TrainerOptions.MaxGradientNorm"/> is set, else <see langword="null"/>.</summary>
    public double? GradientNorm { get; }

    /// <summary>Time since the epoch began.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Fraction of this epoch's training samples done, in [0, 1].</summary>
    public double Fraction => SampleCount > 0 ? Math.Min(1.0, (double)Samples / SampleCount) : 0;
}

/// <summary>What <see cref="TrainerCallbacks.OnEpochEnd"/> sees after an epoch.</summary>
/// <param name="Record">The finished epoch's record (as added to the history).</param>
/// <param name="Epochs">The run's number of epochs.</param>
/// <param name="Batches">Training batches of this epoch.</param>
/// <param name="Samples">Training samples of this epoch.</param>
/// <param name="SampleCount">Training samples the source reports per epoch.</param>
/// <param name="History">Every epoch so far (earlier runs' too when resumed).</param>
public sealed record EpochEnd(EpochRecord Record, int Epochs, int Batches, long Samples, long SampleCount, TrainingHistory History);
