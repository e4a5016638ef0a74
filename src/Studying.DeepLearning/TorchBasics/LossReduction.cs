namespace Studying.DeepLearning.TorchBasics;

/// <summary>How per-element (or per-sample) losses are combined into one number, as PyTorch's <c>reduction</c> argument.</summary>
public enum LossReduction
{
    /// <summary>The average: over all elements for element-wise losses, over the samples (rows) for cross-entropy and NLL.</summary>
    Mean,

    /// <summary>The total over all elements (or samples).</summary>
    Sum,
}
