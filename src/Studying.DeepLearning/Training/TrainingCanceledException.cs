namespace Studying.DeepLearning.Training;

/// <summary>
/// Thrown by <see cref="Trainer.Fit"/> and <see cref="Trainer.Resume"/> when their cancellation token fires. Training
/// stops between batches; the epochs completed so far are in <see cref="History"/>, and the last checkpoint on disk
/// (from the end of the last completed epoch) is left as it was, ready for <see cref="Trainer.Resume"/>. The model
/// holds the weights of the last step taken (mid-epoch). It is an <see cref="OperationCanceledException"/>, so
/// callers that only handle cancellation in general still see it as one.
/// </summary>
public sealed class TrainingCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception with no history.</summary>
    public TrainingCanceledException() : this("Training was cancelled.", new TrainingHistory([]), null, default) { }

    /// <summary>Creates the exception with a message and no history.</summary>
    /// <param name="message">What happened.</param>
    public TrainingCanceledException(string message) : this(message, new TrainingHistory([]), null, default) { }

    /// <summary>Creates the exception with a message, no history, and the exception that caused it.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public TrainingCanceledException(string message, Exception innerException) : base(message, innerException) => History = new TrainingHistory([]);

    /// <summary>Creates the exception with what training achieved.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="history">The completed epochs.</param>
    /// <param name="checkpoint">The resume checkpoint left on disk, or <see langword="null"/>.</param>
    /// <param name="token">The token that fired.</param>
    public TrainingCanceledException(string message, TrainingHistory history, string? checkpoint, CancellationToken token) : base(message, token)
    {
        History = history;
        Checkpoint = checkpoint;
    }

    /// <summary>The epochs completed before the cancellation.</summary>
    public TrainingHistory History { get; }

    /// <summary>The path of the resume checkpoint (end of the last completed epoch), or <see langword="null"/> if none was written.</summary>
    public string? Checkpoint { get; }
}
