using System.Collections;
using System.Runtime.ExceptionServices;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>Settings of a <see cref="PrefetchingDataLoader"/>.</summary>
/// <param name="Workers">Background threads that build batches, each a whole batch at a time; at least one.</param>
/// <param name="Capacity">
/// At most this many batches exist ahead of the consumer (ready or being built); at least one. Bounds memory;
/// for every worker to be busy it must be at least <paramref name="Workers"/>.
/// </param>
/// <param name="Shuffle">Visit the items in a random order (a Fisher–Yates shuffle, the same as TorchSharp's DataLoader).</param>
/// <param name="Seed">Seed of the shuffle: the same seed gives the same order every epoch and the same order as
/// <c>torch.utils.data.DataLoader(…, shuffle: true, seed: Seed)</c>; <see langword="null"/> for a new order each epoch.</param>
/// <param name="DropLast">Leave out a last batch that would be smaller than the batch size.</param>
public sealed record PrefetchOptions(int Workers = 2, int Capacity = 4, bool Shuffle = false, int? Seed = null, bool DropLast = false);

/// <summary>
/// A data loader that prepares the next batches on background threads while the consumer trains on the current one
/// — what TorchSharp's <c>DataLoader</c> does not do (its <c>num_worker</c> threads load the items of one batch in
/// parallel, but only when the consumer asks for it, so loading and training take turns).
/// </summary>
/// <remarks>
/// <para>Batches arrive in order, with exactly the contents a sequential pass over the same order would give.</para>
/// <para>Ownership: each <see cref="PrefetchedBatch"/> handed out belongs to the consumer, who disposes it (or
/// attaches it to the step's dispose scope). Batches prepared but never handed out are disposed by the loader when
/// the enumeration ends, is cancelled or is disposed — so always enumerate with <c>foreach</c> (or dispose the
/// enumerator). Item tensors made by the data set on a worker are freed on that worker right after collation.</para>
/// <para>Errors: an exception in <c>GetTensor</c> reaches the consumer, in batch order, as a
/// <see cref="DatasetItemException"/> naming the item, with the original as its inner exception.</para>
/// <para>The loader does not own the data set and does not dispose it.</para>
/// </remarks>
public sealed class PrefetchingDataLoader : IEnumerable<PrefetchedBatch>
{
    private long created;
    private long disposed;
    private long disposedByLoader;

    /// <summary>Creates a loader over <paramref name="dataset"/>.</summary>
    /// <param name="dataset">A map-style TorchSharp data set whose items all have the same keys, shapes and types.</param>
    /// <param name="batchSize">Items per batch; at least one.</param>
    /// <param name="options">Workers, capacity, shuffling, seed and drop-last; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The batch size, workers or capacity are below one, or the data set is empty.</exception>
    public PrefetchingDataLoader(torch.utils.data.Dataset dataset, int batchSize, PrefetchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new PrefetchOptions();
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        if (options.Workers < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Workers, "At least one worker is needed (Workers).");
        if (options.Capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Capacity, "The prefetch capacity must be at least 1 batch (Capacity).");
        if (dataset.Count < 1)
            throw new ArgumentException("The data set is empty; there is nothing to load.", nameof(dataset));
        if (options.DropLast && dataset.Count < batchSize)
            throw new ArgumentException($"With DropLast, a data set of {dataset.Count} items gives no batch of {batchSize}.", nameof(options));
        TorchRuntime.EnsureLoaded();
        Dataset = dataset;
        BatchSize = batchSize;
        Options = options;
    }

    /// <summary>The data set loaded from.</summary>
    public torch.utils.data.Dataset Dataset { get; }

    /// <summary>Items per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Workers, capacity, shuffling, seed and drop-last.</summary>
    public PrefetchOptions Options { get; }

    /// <summary>Batches per epoch.</summary>
    public long BatchCount => Options.DropLast ? Dataset.Count / BatchSize : (Dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>Batches this loader has built so far (all epochs).</summary>
    internal long BatchesCreated => Interlocked.Read(ref created);

    /// <summary>Batches of this loader whose tensors have been freed (by the consumer or by the loader).</summary>
    internal long BatchesDisposed => Interlocked.Read(ref disposed);

    /// <summary>Batches this loader disposed itself because no consumer took them.</summary>
    internal long BatchesDisposedByLoader => Interlocked.Read(ref disposedByLoader);

    /// <summary>The item indices of one epoch, batch by batch (what the next enumeration will deliver).</summary>
    public IReadOnlyList<IReadOnlyList<long>> PlanEpoch()
    {
        IEnumerable<long> order = Options.Shuffle ? new FisherYatesShuffler(Dataset.Count, Options.Seed) : LongRange(Dataset.Count);
        var batches = order.Chunk(BatchSize).Where(b => !Options.DropLast || b.Length == BatchSize).ToArray();
        return batches;
    }

    /// <summary>Enumerates one epoch; the token stops the workers and the consumer's wait.</summary>
    /// <param name="cancellationToken">Cancels the epoch: <c>MoveNext</c> throws <see cref="OperationCanceledException"/>.</param>
    public IEnumerable<PrefetchedBatch> Enumerate(CancellationToken cancellationToken)
    {
        using var epoch = new Epoch(this, cancellationToken);
        while (epoch.MoveNext())
            yield return epoch.Current;
    }

    /// <summary>Enumerates one epoch without a cancellation token.</summary>
    public IEnumerator<PrefetchedBatch> GetEnumerator() => new Epoch(this, CancellationToken.None);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static IEnumerable<long> LongRange(long count)
    {
        for (long i = 0; i < count; i++)
            yield return i;
    }

    /// <summary>Loads the items of one batch on the calling thread and stacks them; everything else made is freed.</summary>
    private PrefetchedBatch Build(long number, long[] indices, CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        var items = new Dictionary<string, Tensor>[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var index = indices[i];
            try
            {
                items[i] = Dataset.GetTensor(index)
                    ?? throw new DatasetItemException(index, number, "GetTensor returned null instead of a dictionary of tensors.");
            }
            catch (Exception e) when (e is not DatasetItemException and not OperationCanceledException)
            {
                throw new DatasetItemException(index, number, e.Message, e);
            }
            CheckSameLayout(items[0], indices[0], items[i], index, number);
        }

        var stacked = new Dictionary<string, Tensor>(items[0].Count);
        foreach (var key in items[0].Keys)
            stacked[key] = stack(items.Select(item => item[key]).ToArray(), 0).DetachFromDisposeScope();
        Interlocked.Increment(ref created);
        return new PrefetchedBatch(number, indices, stacked, () => Interlocked.Increment(ref disposed));
    }

    /// <summary>Stacking needs the same keys, shapes and types in every item; say which item differs, before native code fails.</summary>
    private static void CheckSameLayout(Dictionary<string, Tensor> first, long firstIndex, Dictionary<string, Tensor> item, long index, long number)
    {
        if (item.Count == 0)
            throw new DatasetItemException(index, number, "GetTensor returned no tensors.");
        if (item.Count != first.Count || item.Keys.Any(k => !first.ContainsKey(k)))
            throw new DatasetItemException(index, number, $"it has keys [{string.Join(", ", item.Keys)}] but item {firstIndex} has [{string.Join(", ", first.Keys)}]; every item needs the same keys.");
        foreach (var (key, t) in item)
        {
            var reference = first[key];
            if (t is null || t.IsInvalid)
                throw new DatasetItemException(index, number, $"its tensor '{key}' is null or disposed.");
            if (t.dtype != reference.dtype || !t.shape.SequenceEqual(reference.shape))
                throw new DatasetItemException(index, number,
                    $"its '{key}' is {t.dtype} [{string.Join(", ", t.shape)}] but item {firstIndex}'s is {reference.dtype} [{string.Join(", ", reference.shape)}]; batches need the same shape and type in every item.");
        }
    }

    /// <summary>One epoch: the workers, the in-order hand-over and the clean-up.</summary>
    private sealed class Epoch : IEnumerator<PrefetchedBatch>
    {
        private readonly PrefetchingDataLoader loader;
        private readonly long[][] batches;
        private readonly CancellationToken consumerToken;
        private readonly CancellationTokenSource stop;
        private readonly CancellationTokenRegistration wakeUp;
        private readonly object gate = new(); // Monitor.Wait/PulseAll need a monitor, not a System.Threading.Lock.
        private readonly Dictionary<long, PrefetchedBatch> ready = [];
        private Thread[]? workers;
        private long nextToClaim;
        private long nextToDeliver;
        private long limit;
        private (long Number, ExceptionDispatchInfo Error)? failure;
        private PrefetchedBatch? current;
        private bool disposed;

        public Epoch(PrefetchingDataLoader loader, CancellationToken cancellationToken)
        {
            this.loader = loader;
            batches = loader.PlanEpoch().Select(b => b.ToArray()).ToArray();
            limit = batches.Length;
            consumerToken = cancellationToken;
            stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wakeUp = stop.Token.Register(WakeAll);
        }

        public PrefetchedBatch Current => current ?? throw new InvalidOperationException("Call MoveNext first.");

        object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            workers ??= StartWorkers();
            lock (gate)
            {
                while (true)
                {
                    if (failure is { } f && f.Number == nextToDeliver)
                        f.Error.Throw();
                    if (nextToDeliver >= batches.Length)
                    {
                        current = null;
                        return false;
                    }
                    consumerToken.ThrowIfCancellationRequested();
                    if (ready.Remove(nextToDeliver, out var batch))
                    {
                        nextToDeliver++;
                        current = batch;
                        Monitor.PulseAll(gate);
                        return true;
                    }
                    Monitor.Wait(gate);
                }
            }
        }

        public void Reset() => throw new NotSupportedException("Enumerate the loader again for another epoch.");

        public void Dispose()
        {
            if (disposed)
                return;
            disposed = true;
            stop.Cancel();
            foreach (var worker in workers ?? [])
                worker.Join();
            PrefetchedBatch[] abandoned;
            lock (gate)
            {
                abandoned = [.. ready.Values];
                ready.Clear();
            }
            foreach (var batch in abandoned)
            {
                batch.Dispose();
                Interlocked.Increment(ref loader.disposedByLoader);
            }
            wakeUp.Dispose();
            stop.Dispose();
        }

        private void WakeAll()
        {
            lock (gate)
                Monitor.PulseAll(gate);
        }

        private Thread[] StartWorkers()
        {
            var threads = new Thread[Math.Min(loader.Options.Workers, Math.Max(batches.Length, 1))];
            for (var w = 0; w < threads.Length; w++)
            {
                threads[w] = new Thread(Work) { IsBackground = true, Name = $"prefetch worker {w}" };
                threads[w].Start();
            }
            return threads;
        }

        private void Work()
        {
            var token = stop.Token;
            while (true)
            {
                long number;
                lock (gate)
                {
                    // Claim the next batch in order, but never more than Capacity ahead of the consumer.
                    while (!token.IsCancellationRequested && nextToClaim < limit && nextToClaim >= nextToDeliver + loader.Options.Capacity)
                        Monitor.Wait(gate);
                    if (token.IsCancellationRequested || nextToClaim >= limit)
                        return;
                    number = nextToClaim++;
                }

                PrefetchedBatch? batch = null;
                ExceptionDispatchInfo? error = null;
                try
                {
                    batch = loader.Build(number, batches[number], token);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    error = ExceptionDispatchInfo.Capture(e is DatasetItemException ? e
                        : new DatasetItemException(-1, number, "collating the batch failed: " + e.Message, e));
                }

                var keep = false;
                lock (gate)
                {
                    if (error is not null)
                    {
                        // Batches before this one are still delivered, as a sequential pass would; none after it is started.
                        if (failure is null || number < failure.Value.Number)
                            failure = (number, error);
                        limit = Math.Min(limit, number);
                    }
                    else if (!token.IsCancellationRequested && number < limit)
                    {
                        ready[number] = batch!;
                        keep = true;
                    }
                    Monitor.PulseAll(gate);
                }
                if (batch is not null && !keep)
                {
                    batch.Dispose();
                    Interlocked.Increment(ref loader.disposedByLoader);
                }
            }
        }
    }
}
