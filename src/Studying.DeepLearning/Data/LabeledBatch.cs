using static TorchSharp.torch;

namespace Studying.DeepLearning.Data;

/// <summary>
/// One mini-batch for classification: inputs [batch, …] (float32) and targets [batch] (int64 class indices).
/// The batch owns both tensors; whoever receives it disposes it (a trainer does, after the step).
/// </summary>
public sealed class LabeledBatch : IDisposable
{
    /// <summary>Wraps two tensors after checking that they pair up.</summary>
    /// <param name="inputs">Float32 inputs whose first dimension is the batch size.</param>
    /// <param name="targets">Int64 class indices, one per input.</param>
    /// <exception cref="ArgumentException">The shapes or element types do not fit together.</exception>
    public LabeledBatch(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.dim() < 1 || targets.dim() != 1 || inputs.shape[0] != targets.shape[0])
            throw new ArgumentException($"Inputs of shape [{string.Join(", ", inputs.shape)}] and targets of shape [{string.Join(", ", targets.shape)}] do not pair up: targets must be one class index per input row.", nameof(targets));
        if (targets.dtype != ScalarType.Int64)
            throw new ArgumentException($"Targets must be int64 class indices, not {targets.dtype}.", nameof(targets));
        Inputs = inputs;
        Targets = targets;
    }

    /// <summary>The inputs, [batch, …].</summary>
    public Tensor Inputs { get; }

    /// <summary>The class index of each input, [batch].</summary>
    public Tensor Targets { get; }

    /// <summary>The number of samples in the batch.</summary>
    public long Count => Targets.shape[0];

    /// <summary>Disposes both tensors.</summary>
    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
    }
}

/// <summary>
/// A data set a trainer iterates over, one pass per epoch: images (Fashion-MNIST, CIFAR-10) or
/// tabular rows, with any shuffling and augmentation already decided for that epoch.
/// </summary>
public interface IBatchSource
{
    /// <summary>The number of samples in one pass.</summary>
    long SampleCount { get; }

    /// <summary>The class names, indexed by class.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>
    /// One pass over the data. The same epoch number and seed give the same batches (shuffle and augmentation are
    /// seeded by epoch). Each batch belongs to the caller, who disposes it.
    /// </summary>
    /// <param name="epoch">The epoch number, from 1; seeds the shuffle and augmentation of this pass.</param>
    /// <param name="cancellationToken">Stops the pass between batches.</param>
    IEnumerable<LabeledBatch> GetBatches(int epoch, CancellationToken cancellationToken = default);
}
