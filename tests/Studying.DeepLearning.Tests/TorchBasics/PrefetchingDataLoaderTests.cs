using Studying.DeepLearning.TorchBasics;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.TorchBasics;

[Collection(SeededTorchRandom.Name)]
[Trait("Tier", "unit")]
public class PrefetchingDataLoaderTests
{
    private static long[] Longs(Tensor t) => t.data<long>().ToArray();

    private static float[] Floats(Tensor t) => t.data<float>().ToArray();

    [Theory]
    [InlineData(1, 1, false, false)]
    [InlineData(3, 2, true, false)]
    [InlineData(4, 8, true, true)]
    public void Batches_EqualASequentialPassInTheSameOrder(int workers, int capacity, bool shuffle, bool dropLast)
    {
        using var data = new SyntheticDataset(23, features: 3, seed: 5);
        var loader = new PrefetchingDataLoader(data, 4, new PrefetchOptions(workers, capacity, shuffle, Seed: 9, DropLast: dropLast));
        var plan = loader.PlanEpoch();

        var seen = new List<long>();
        foreach (var batch in loader)
        {
            using (batch)
            {
                Assert.Equal(seen.Count / 4, batch.Number);
                Assert.Equal(plan[(int)batch.Number], batch.Indices);
                Assert.Equal(batch.Indices, Longs(batch["index"]));
                Assert.Equal([batch.Count, 3], batch["features"].shape);
                var features = Floats(batch["features"]);
                var targets = Floats(batch["target"]);
                for (var row = 0; row < batch.Count; row++)
                {
                    // Against the item made directly on this thread, and against the closed form w·x + b.
                    var expected = data.FeaturesOf(batch.Indices[row]);
                    Assert.Equal(expected, features.Skip(3 * row).Take(3));
                    var y = SyntheticDataset.Bias + expected.Select((x, j) => (double)SyntheticDataset.Weight(j) * x).Sum();
                    Assert.True(Math.Abs(y - targets[row]) < 1e-5, $"target {targets[row]}, w·x + b = {y}");
                }
                seen.AddRange(batch.Indices);
            }
        }

        // 23 items in batches of 4: 5 full batches and a last one of 3, which drop-last leaves out.
        Assert.Equal(dropLast ? 20 : 23, seen.Count);
        Assert.Equal(dropLast ? 5 : 6, loader.BatchCount);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        if (!shuffle)
            Assert.Equal(Enumerable.Range(0, 23).Select(i => (long)i), seen);
        else
            Assert.NotEqual(Enumerable.Range(0, seen.Count).Select(i => (long)i), seen);
        Assert.Equal(loader.BatchesCreated, loader.BatchesDisposed);
    }

    [Fact]
    public void SameSeed_SameOrder_AndTheSameOrderAsTorchSharpsDataLoader()
    {
        using var data = new SyntheticDataset(30, features: 2);
        List<long> Epoch(int seed, int workers)
        {
            var order = new List<long>();
            foreach (var batch in new PrefetchingDataLoader(data, 7, new PrefetchOptions(workers, 3, Shuffle: true, Seed: seed)))
            {
                using (batch)
                    order.AddRange(Longs(batch["index"]));
            }
            return order;
        }

        var first = Epoch(42, 1);
        Assert.Equal(first, Epoch(42, 3));
        Assert.NotEqual(first, Epoch(43, 1));

        using var torchLoader = torch.utils.data.DataLoader(data, 7, shuffle: true, seed: 42, disposeDataset: false);
        var torchOrder = torchLoader.SelectMany(b => Longs(b["index"])).ToList();
        Assert.Equal(torchOrder, first);
    }

    [Fact]
    public void WorkerException_SurfacesOnTheConsumer_NamingTheItem_AfterTheBatchesBeforeIt()
    {
        using var inner = new SyntheticDataset(40, features: 2);
        var data = new TrackingDataset(inner, failAt: 13);
        var loader = new PrefetchingDataLoader(data, 5, new PrefetchOptions(Workers: 3, Capacity: 4));

        var delivered = new List<long>();
        var error = Assert.Throws<DatasetItemException>(() =>
        {
            foreach (var batch in loader)
            {
                using (batch)
                    delivered.Add(batch.Number);
            }
        });

        Assert.Equal(13, error.ItemIndex);
        Assert.Equal(2, error.BatchNumber);
        Assert.Contains("item 13", error.Message, StringComparison.Ordinal);
        var original = Assert.IsType<InvalidDataException>(error.InnerException);
        Assert.Equal("corrupt record 13", original.Message);
        Assert.Equal([0L, 1L], delivered);
        Assert.Equal(loader.BatchesCreated, delivered.Count + loader.BatchesDisposedByLoader);
        Assert.Equal(loader.BatchesCreated, loader.BatchesDisposed);
        Assert.All(data.Handed, t => Assert.True(t.IsInvalid));
    }

    [Fact]
    public void ItemsOfDifferentShapes_AreRejectedBeforeStacking_NamingTheItem()
    {
        using var inner = new SyntheticDataset(10, features: 3);
        var data = new TrackingDataset(inner, replace: i => i == 6
            ? new Dictionary<string, Tensor> { ["index"] = tensor(i), ["features"] = zeros(4), ["target"] = tensor(0f) }
            : null);
        var loader = new PrefetchingDataLoader(data, 4, new PrefetchOptions(Workers: 2));

        var error = Assert.Throws<DatasetItemException>(() => loader.ToList().ForEach(b => b.Dispose()));

        Assert.Equal(6, error.ItemIndex);
        Assert.Contains("'features' is Float32 [4]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[3]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_StopsTheWorkers_AndFreesEveryPreparedBatch()
    {
        using var inner = new SyntheticDataset(1000, features: 2);
        var data = new TrackingDataset(inner);
        var loader = new PrefetchingDataLoader(data, 4, new PrefetchOptions(Workers: 2, Capacity: 3));
        using var cancellation = new CancellationTokenSource();

        var delivered = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var batch in loader.Enumerate(cancellation.Token))
            {
                using (batch)
                {
                    if (++delivered == 3)
                        cancellation.Cancel();
                }
            }
        });

        // After the enumerator is disposed no worker runs: the calls stop at what the capacity allows.
        var calls = data.Calls;
        Assert.InRange(calls, 3 * 4, (3 + 3 + 1) * 4);
        Thread.Sleep(50);
        Assert.Equal(calls, data.Calls);
        Assert.Equal(3, delivered);
        Assert.Equal(loader.BatchesCreated, delivered + loader.BatchesDisposedByLoader);
        Assert.Equal(loader.BatchesCreated, loader.BatchesDisposed);
        Assert.All(data.Handed, t => Assert.True(t.IsInvalid));
    }

    [Fact]
    public void AbandonedEpoch_DisposesQueuedBatches_AndConsumedBatchesAreTheConsumers()
    {
        using var inner = new SyntheticDataset(100, features: 2);
        var data = new TrackingDataset(inner);
        var loader = new PrefetchingDataLoader(data, 5, new PrefetchOptions(Workers: 2, Capacity: 4));

        PrefetchedBatch kept;
        using (var epoch = loader.GetEnumerator())
        {
            Assert.True(epoch.MoveNext());
            kept = epoch.Current;
            Assert.True(epoch.MoveNext());
            epoch.Current.Dispose();
        }

        // The loader does not free a batch it handed out: the consumer still owns the first one.
        Assert.False(kept.IsDisposed);
        Assert.Equal(5, kept["features"].shape[0]);
        Assert.Equal(loader.BatchesCreated, 2 + loader.BatchesDisposedByLoader);
        Assert.Equal(loader.BatchesCreated - 1, loader.BatchesDisposed);
        kept.Dispose();
        Assert.Equal(loader.BatchesCreated, loader.BatchesDisposed);
        Assert.All(kept.Tensors.Values, t => Assert.True(t.IsInvalid));
        Assert.All(data.Handed, t => Assert.True(t.IsInvalid));
    }

    [Fact]
    public void AttachTo_HandsTheBatchToTheStepsDisposeScope()
    {
        using var data = new SyntheticDataset(8, features: 2);
        var loader = new PrefetchingDataLoader(data, 4);
        var batches = new List<PrefetchedBatch>();
        foreach (var batch in loader)
        {
            using var step = NewDisposeScope();
            batches.Add(batch.AttachTo(step));
            Assert.False(batch["features"].IsInvalid);
        }

        Assert.Equal(2, batches.Count);
        Assert.All(batches.SelectMany(b => b.Tensors.Values), t => Assert.True(t.IsInvalid));
    }

    [Fact]
    public void BadArguments_AreRejectedWithClearMessages()
    {
        using var data = new SyntheticDataset(10);
        Assert.Contains("batch size", Assert.ThrowsAny<ArgumentException>(() => new PrefetchingDataLoader(data, 0)).Message, StringComparison.Ordinal);
        Assert.ThrowsAny<ArgumentException>(() => new PrefetchingDataLoader(data, -3));
        Assert.Contains("worker", Assert.ThrowsAny<ArgumentException>(() => new PrefetchingDataLoader(data, 2, new PrefetchOptions(Workers: 0))).Message, StringComparison.Ordinal);
        Assert.Contains("capacity", Assert.ThrowsAny<ArgumentException>(() => new PrefetchingDataLoader(data, 2, new PrefetchOptions(Capacity: 0))).Message, StringComparison.Ordinal);
        using var empty = new EmptyDataset();
        Assert.Contains("empty", Assert.ThrowsAny<ArgumentException>(() => new PrefetchingDataLoader(empty, 2)).Message, StringComparison.Ordinal);
        Assert.ThrowsAny<ArgumentException>(() => new PrefetchingDataLoader(data, 11, new PrefetchOptions(DropLast: true)));
        Assert.ThrowsAny<ArgumentException>(() => new SyntheticDataset(0));
        Assert.ThrowsAny<ArgumentException>(() => new SyntheticDataset(5, cost: new ItemCost(-1)));
        Assert.ThrowsAny<ArgumentException>(() => new SyntheticDataset(5, cost: new ItemCost(0, double.NaN)));
    }
}
