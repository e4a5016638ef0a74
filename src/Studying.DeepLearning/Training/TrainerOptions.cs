using System.Text.Json.Serialization;
using Studying.DeepLearning.TorchBasics;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Training;

/// <summary>The validation metric the <see cref="Trainer"/> watches for the best epoch and for early stopping.</summary>
public enum MonitoredMetric
{
    /// <summary>Validation loss; lower is better.</summary>
    ValidationLoss,
    /// <summary>Validation accuracy; higher is better.</summary>
    ValidationAccuracy,
}

/// <summary>The shape of a <see cref="LearningRateSchedule"/>.</summary>
public enum ScheduleKind
{
    /// <summary>The base rate in every epoch.</summary>
    Constant,
    /// <summary>lr·γ^⌊(epoch − 1) / StepSize⌋ — TorchSharp's <c>lr_scheduler.StepLR</c> stepped once per epoch.</summary>
    Step,
    /// <summary>η_min + (lr − η_min)·(1 + cos(π·(epoch − 1)/epochs))/2 — <c>lr_scheduler.CosineAnnealingLR</c> with T_max = epochs, stepped once per epoch.</summary>
    Cosine,
}

/// <summary>
/// A per-epoch learning-rate schedule, computed in closed form from the epoch number (so a resumed run gets the same
/// rates as an uninterrupted one; the values equal TorchSharp's <c>optim.lr_scheduler</c> stepped once per epoch).
/// </summary>
/// <param name="Kind">Constant, step or cosine.</param>
/// <param name="StepSize">Epochs between decays of <see cref="ScheduleKind.Step"/>; at least one.</param>
/// <param name="Gamma">Decay factor of <see cref="ScheduleKind.Step"/>, in (0, 1].</param>
/// <param name="MinimumLearningRate">η_min of <see cref="ScheduleKind.Cosine"/>; zero or more.</param>
public sealed record LearningRateSchedule(ScheduleKind Kind = ScheduleKind.Constant, int StepSize = 10, double Gamma = 0.1, double MinimumLearningRate = 0)
{
    /// <summary>The constant schedule.</summary>
    public static LearningRateSchedule Constant { get; } = new();

    /// <summary>
    /// Epochs at the start trained at a tenth of the learning rate before the schedule begins (He et al.'s warm-up for
    /// very deep networks: 0.01 before 0.1); the schedule then runs over the remaining epochs. Zero (default) for none.
    /// </summary>
    public int WarmupEpochs { get; init; }

    /// <summary>The rate of an epoch.</summary>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="baseRate">The optimiser's learning rate.</param>
    /// <param name="epochs">The run's number of epochs (the cosine period is the epochs after the warm-up).</param>
    public double RateAt(int epoch, double baseRate, int epochs)
    {
        if (epoch <= WarmupEpochs)
            return baseRate / 10;
        epoch -= WarmupEpochs;
        epochs = Math.Max(1, epochs - WarmupEpochs);
        return Kind switch
        {
            ScheduleKind.Step => baseRate * Math.Pow(Gamma, (epoch - 1) / StepSize),
            ScheduleKind.Cosine => MinimumLearningRate + (baseRate - MinimumLearningRate) * (1 + Math.Cos(Math.PI * (epoch - 1) / epochs)) / 2,
            _ => baseRate,
        };
    }

    internal void Validate()
    {
        if (!Enum.IsDefined(Kind))
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown learning-rate schedule.");
        if (WarmupEpochs < 0)
            throw new ArgumentOutOfRangeException(nameof(WarmupEpochs), WarmupEpochs, "Warm-up epochs must be zero or more.");
        if (StepSize < 1)
            throw new ArgumentOutOfRangeException(nameof(StepSize), StepSize, "The step schedule needs a step size of at least one epoch.");
        if (!(Gamma > 0 && Gamma <= 1))
            throw new ArgumentOutOfRangeException(nameof(Gamma), Gamma, "The decay factor must lie in (0, 1].");
        if (!(MinimumLearningRate >= 0) || !double.IsFinite(MinimumLearningRate))
            throw new ArgumentOutOfRangeException(nameof(MinimumLearningRate), MinimumLearningRate, "The minimum learning rate must be a finite number, zero or more.");
    }
}

/// <summary>Stops training when the monitored metric has not improved for <paramref name="Patience"/> epochs.</summary>
/// <param name="Patience">Epochs without improvement tolerated; at least one.</param>
/// <param name="MinDelta">An epoch improves only if it beats the best by more than this (absolute); zero or more.</param>
public sealed record EarlyStopping(int Patience = 5, double MinDelta = 0);

/// <summary>Settings of <see cref="Trainer.Fit"/>. The defaults train with Adam (lr 1e-3) for 10 epochs.</summary>
public sealed record TrainerOptions
{
    /// <summary>Epochs to run (in total, counting epochs done before a resume); at least one.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>The optimiser (SGD, momentum, Nesterov, Adagrad, RMSprop, Adam, AdamW; not L-BFGS) with its learning rate, momentum and weight decay.</summary>
    public OptimizerSpec Optimizer { get; init; } = new(OptimizerKind.Adam, 1e-3);

    /// <summary>
    /// Builds the optimiser instead of <see cref="Optimizer"/> when set. It must honour the learning rate set on its
    /// <c>ParamGroups</c> (every <c>torch.optim</c> optimiser does); resuming needs one of TorchSharp's managed optimisers.
    /// </summary>
    [JsonIgnore]
    public Func<IEnumerable<TorchSharp.Modules.Parameter>, optim.Optimizer>? OptimizerFactory { get; init; }

    /// <summary>The per-epoch learning-rate schedule, applied to each parameter group's initial rate.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>The validation metric that picks the best epoch (and drives <see cref="EarlyStopping"/>).</summary>
    public MonitoredMetric Monitor { get; init; } = MonitoredMetric.ValidationLoss;

    /// <summary>Early stopping on <see cref="Monitor"/>, or <see langword="null"/> to run every epoch.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>Load the best epoch's weights into the model at the end (needs a validation source).</summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>
    /// Folder for checkpoints, or <see langword="null"/> for none: <c>last.ckpt</c> (weights, optimiser state,
    /// history; for <see cref="Trainer.Resume"/>) after every epoch and <c>best.pt</c> (weights only, for
    /// <c>module.load</c>) whenever the monitored metric improves. Both are written atomically.
    /// </summary>
    public string? CheckpointFolder { get; init; }

    /// <summary>
    /// Let a fresh run take a <see cref="CheckpointFolder"/> that holds another run's checkpoints. Nothing is deleted up
    /// front: the old files are replaced when this run writes its first checkpoint. Off by default: such a folder is refused.
    /// </summary>
    public bool OverwriteCheckpoints { get; init; }

    /// <summary>
    /// The run's randomness: every epoch draws (dropout through <see cref="GeneratorDropout"/>, anything else through
    /// <see cref="TrainingRandom"/>) from its own generator, <see cref="Trainer.EpochGenerator"/>(seed, epoch, device),
    /// so it repeats, also after a resume, and no other run or use of torch's global generator in the process touches
    /// it. The trainer never seeds or draws from torch's global generator.
    /// </summary>
    public long Seed { get; init; }

    /// <summary>
    /// Where the model is moved and trained, and batches are copied to. Defaults to <see cref="ComputeDevice.Current"/>
    /// (the <c>STUDYDL_DEVICE</c> choice, read when this property is first read without having been set); set it to
    /// pin a run to a device whatever the process default.
    /// </summary>
    [JsonIgnore]
    public Device Device
    {
        get => device ?? ComputeDevice.Current;
        init => device = value ?? throw new ArgumentNullException(nameof(value), "TrainerOptions.Device: give a device, or leave it unset for ComputeDevice.Current.");
    }

    private readonly Device? device;

    /// <summary>
    /// Clips the gradients' total L2 norm to this value between backward and step (<c>nn.utils.clip_grad_norm_</c>),
    /// or <see langword="null"/> (default) for no clipping. The norm before clipping reaches
    /// <see cref="BatchEnd.GradientNorm"/>; a non-finite norm stops the run as diverged before the step.
    /// </summary>
    public double? MaxGradientNorm { get; init; }

    /// <summary>Hooks called before and after every training step and after every epoch (logging, progress, per-step learning rates), or <see langword="null"/>.</summary>
    [JsonIgnore]
    public TrainerCallbacks? Callbacks { get; init; }

    /// <summary>Report a <see cref="TrainingProgress"/> every this many training batches (and after the last); reading the running figures costs a synchronisation.</summary>
    public int ProgressInterval { get; init; } = 10;

    /// <summary>The loss on (logits, targets); <see langword="null"/> for cross-entropy on the logits (which applies log-softmax itself: never softmax first).</summary>
    [JsonIgnore]
    public Func<Tensor, Tensor, Tensor>? Loss { get; init; }

    internal void Validate(bool hasValidation, string paramName)
    {
        if (Epochs < 1)
            throw new ArgumentOutOfRangeException(paramName, Epochs, "Epochs: at least one epoch is needed.");
        ArgumentNullException.ThrowIfNull(Optimizer, paramName);
        ArgumentNullException.ThrowIfNull(Schedule, paramName);
        Schedule.Validate();
        if (OptimizerFactory is null)
        {
            Infrastructure.Require.Positive(Optimizer.LearningRate, paramName);
            if (Optimizer.Kind == OptimizerKind.Lbfgs)
                throw new ArgumentException("L-BFGS needs a closure that re-evaluates the loss; the trainer supports the first-order optimisers only.", paramName);
            if (!Enum.IsDefined(Optimizer.Kind))
                throw new ArgumentOutOfRangeException(paramName, Optimizer.Kind, "Unknown optimiser.");
            if (!(Optimizer.Momentum >= 0 && Optimizer.Momentum < 1))
                throw new ArgumentOutOfRangeException(paramName, Optimizer.Momentum, "Momentum must lie in [0, 1).");
            if (!(Optimizer.WeightDecay >= 0) || !double.IsFinite(Optimizer.WeightDecay))
                throw new ArgumentOutOfRangeException(paramName, Optimizer.WeightDecay, "Weight decay must be a finite number, zero or more.");
        }
        if (!Enum.IsDefined(Monitor))
            throw new ArgumentOutOfRangeException(paramName, Monitor, "Unknown metric.");
        if (EarlyStopping is { } stopping)
        {
            if (stopping.Patience < 1)
                throw new ArgumentOutOfRangeException(paramName, stopping.Patience, "Early stopping needs a patience of at least one epoch.");
            if (!(stopping.MinDelta >= 0) || !double.IsFinite(stopping.MinDelta))
                throw new ArgumentOutOfRangeException(paramName, stopping.MinDelta, "The minimum improvement must be a finite number, zero or more.");
            if (!hasValidation)
                throw new ArgumentException("Early stopping watches a validation metric; give a validation source.", paramName);
        }
        if (MaxGradientNorm is { } limit && !(limit > 0 && double.IsFinite(limit)))
            throw new ArgumentOutOfRangeException(paramName, limit, "MaxGradientNorm: the gradient-norm limit must be a finite number above zero, or null for no clipping.");
        if (ProgressInterval < 1)
            throw new ArgumentOutOfRangeException(paramName, ProgressInterval, "ProgressInterval: report progress every one batch or more.");
    }

    internal optim.Optimizer CreateOptimizer(IEnumerable<TorchSharp.Modules.Parameter> parameters)
    {
        if (OptimizerFactory is { } factory)
            return factory(parameters) ?? throw new InvalidOperationException("The optimiser factory returned null.");
        var s = Optimizer;
        return s.Kind switch
        {
            OptimizerKind.Sgd => optim.SGD(parameters, s.LearningRate, weight_decay: s.WeightDecay),
            OptimizerKind.Momentum => optim.SGD(parameters, s.LearningRate, momentum: s.Momentum, weight_decay: s.WeightDecay),
            OptimizerKind.Nesterov => optim.SGD(parameters, s.LearningRate, momentum: s.Momentum, weight_decay: s.WeightDecay, nesterov: true),
            OptimizerKind.Adagrad => optim.Adagrad(parameters, s.LearningRate, weight_decay: s.WeightDecay),
            OptimizerKind.RmsProp => optim.RMSProp(parameters, s.LearningRate, weight_decay: s.WeightDecay),
            OptimizerKind.Adam => optim.Adam(parameters, s.LearningRate, weight_decay: s.WeightDecay),
            _ => optim.AdamW(parameters, s.LearningRate, weight_decay: s.WeightDecay),
        };
    }
}
