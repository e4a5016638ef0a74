namespace Studying.DeepLearning.Training;

/// <summary>
/// Thrown by an experiment whose training diverged (<see cref="TrainingResult.Divergence"/> is set): its model cannot
/// be evaluated, so there is no result to return. The message is the divergence's own sentence plus what to change.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public TrainingDivergedException() : base("Training diverged.") { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public TrainingDivergedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public TrainingDivergedException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception from the trainer's divergence record.</summary>
    /// <param name="divergence">Where and how training diverged.</param>
    /// <param name="learningRate">The learning rate that was used.</param>
    public TrainingDivergedException(Divergence divergence, double learningRate)
        : base(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{divergence?.Reason} Training stopped there; try a learning rate well below {learningRate:G3}."))
    {
        ArgumentNullException.ThrowIfNull(divergence);
        Divergence = divergence;
    }

    /// <summary>Where and how training diverged, when known.</summary>
    public Divergence? Divergence { get; }
}
