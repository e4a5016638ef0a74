using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>
/// One batch from a <see cref="PrefetchingDataLoader"/>: the items' tensors stacked along a new first dimension,
/// key by key. The batch belongs to whoever received it: dispose it after the training step (or hand its tensors
/// to the step's dispose scope with <see cref="AttachTo"/>). Its tensors were made on a worker thread and belong to
/// no dispose scope until then.
/// </summary>
public sealed class PrefetchedBatch : IDisposable
{
    private readonly Dictionary<string, Tensor> tensors;
    private readonly Action? disposed;
    private int isDisposed;

    internal PrefetchedBatch(long number, long[] indices, Dictionary<string, Tensor> tensors, Action? disposed)
    {
        Number = number;
        Indices = indices;
        this.tensors = tensors;
        this.disposed = disposed;
    }

    /// <summary>The batch's position in the epoch (0, 1, 2, …).</summary>
    public long Number { get; }

    /// <summary>The data set indices of its items, in row order.</summary>
    public IReadOnlyList<long> Indices { get; }

    /// <summary>Number of items (rows).</summary>
    public int Count => Indices.Count;

    /// <summary>The stacked tensors by key (the keys of the data set's items).</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors => tensors;

    /// <summary>The stacked tensor for <paramref name="key"/>.</summary>
    /// <param name="key">A key of the data set's items, e.g. "features".</param>
    public Tensor this[string key] =>
        tensors.TryGetValue(key, out var t) ? t : throw new KeyNotFoundException($"The batch has no tensor '{key}'; its keys are: {string.Join(", ", tensors.Keys)}.");

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => Volatile.Read(ref isDisposed) != 0;

    /// <summary>
    /// Puts the batch's tensors into <paramref name="scope"/> (a dispose scope of the calling thread, typically the
    /// training step's), so they are freed with it. Returns the batch.
    /// </summary>
    /// <param name="scope">The dispose scope that takes ownership.</param>
    public PrefetchedBatch AttachTo(DisposeScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        scope.Attach(tensors.Values);
        return this;
    }

    /// <summary>Frees the batch's tensors (safe to call more than once, and after its dispose scope freed them).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref isDisposed, 1) != 0)
            return;
        foreach (var t in tensors.Values)
            t.Dispose();
        disposed?.Invoke();
    }
}
