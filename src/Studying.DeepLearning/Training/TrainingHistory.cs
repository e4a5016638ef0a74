using System.Text.Json.Serialization;

namespace Studying.DeepLearning.Training;

/// <summary>What one epoch of <see cref="Trainer.Fit"/> measured.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">Mean loss over the epoch's training batches, each taken before its update (the running average).</param>
/// <param name="TrainAccuracy">Fraction of training samples whose logits' argmax was the target, before each update.</param>
/// <param name="ValidationLoss">Mean loss on the validation source after the epoch (eval mode, no grad), or <see langword="null"/> without one.</param>
/// <param name="ValidationAccuracy">Validation accuracy after the epoch, or <see langword="null"/> without a validation source.</param>
/// <param name="LearningRate">The learning rate of the epoch (first parameter group).</param>
/// <param name="Seconds">Wall time of the epoch, training and validation.</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TrainAccuracy, double? ValidationLoss, double? ValidationAccuracy, double LearningRate, double Seconds);

/// <summary>The epochs of a run, in order (with those done before a resume).</summary>
/// <param name="Epochs">One record per completed epoch.</param>
public sealed record TrainingHistory(IReadOnlyList<EpochRecord> Epochs)
{
    /// <summary>The last completed epoch, or <see langword="null"/> if none.</summary>
    [JsonIgnore]
    public EpochRecord? Last => Epochs.Count > 0 ? Epochs[^1] : null;
}

/// <summary>Why <see cref="Trainer.Fit"/> ended.</summary>
public enum StopReason
{
    /// <summary>Every epoch ran.</summary>
    Completed,
    /// <summary>The monitored metric stopped improving (early stopping).</summary>
    EarlyStopped,
    /// <summary>A loss was NaN or infinite; training stopped before updating on it.</summary>
    Diverged,
}

/// <summary>The outcome of <see cref="Trainer.Fit"/> or <see cref="Trainer.Resume"/>.</summary>
/// <param name="History">Every completed epoch.</param>
/// <param name="Stop">Why training ended.</param>
/// <param name="Message">A sentence saying how it ended (for a divergence: epoch, batch, value and what to try).</param>
/// <param name="BestEpoch">The epoch with the best monitored metric, or <see langword="null"/> without validation or epochs.</param>
/// <param name="BestValue">That metric's value.</param>
/// <param name="RestoredBestWeights">Whether the model now holds the best epoch's weights (otherwise the last step's).</param>
/// <param name="Divergence">Where training diverged, if it did.</param>
public sealed record TrainingResult(TrainingHistory History, StopReason Stop, string Message, int? BestEpoch, double? BestValue, bool RestoredBestWeights, Divergence? Divergence);
