namespace Studying.DeepLearning.TorchBasics;

/// <summary>
/// Loading an item of a data set failed on a loader's worker. Thrown on the consumer's thread when it reaches the
/// batch that holds the item; <see cref="Exception.InnerException"/> is the original exception.
/// </summary>
public sealed class DatasetItemException : Exception
{
    /// <summary>Creates the exception without details.</summary>
    public DatasetItemException() : this("Loading a data set item failed.") { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public DatasetItemException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The original exception.</param>
    public DatasetItemException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for item <paramref name="itemIndex"/> of batch <paramref name="batchNumber"/>.</summary>
    /// <param name="itemIndex">The data set index of the item.</param>
    /// <param name="batchNumber">The position of its batch in the epoch.</param>
    /// <param name="reason">What went wrong, as a sentence.</param>
    /// <param name="innerException">The original exception, if any.</param>
    public DatasetItemException(long itemIndex, long batchNumber, string reason, Exception? innerException = null)
        : base($"Loading item {itemIndex} (batch {batchNumber}) failed: {reason}", innerException)
    {
        ItemIndex = itemIndex;
        BatchNumber = batchNumber;
    }

    /// <summary>The data set index of the item that failed, or -1 if unknown.</summary>
    public long ItemIndex { get; } = -1;

    /// <summary>The position in the epoch of the batch that holds the item, or -1 if unknown.</summary>
    public long BatchNumber { get; } = -1;
}
