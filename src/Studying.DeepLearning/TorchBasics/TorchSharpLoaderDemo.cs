using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>What TorchSharp's <c>torch.utils.data.DataLoader</c> did with a small <see cref="SyntheticDataset"/>.</summary>
/// <param name="Items">Items in the data set.</param>
/// <param name="BatchSize">Items per batch.</param>
/// <param name="Batches">Batches per epoch without drop_last (the last one smaller).</param>
/// <param name="LastBatchSize">Items in that last batch.</param>
/// <param name="BatchesWithDropLast">Batches per epoch with drop_last (only full ones).</param>
/// <param name="FeatureShape">Shape of a full batch's "features": [batch, features] (collation stacks items on a new first dimension).</param>
/// <param name="FirstBatchIndices">The item indices of the first shuffled batch with <paramref name="Seed"/>.</param>
/// <param name="Seed">The shuffle seed used.</param>
/// <param name="SameSeedSameOrder">Two epochs with the same seed visit the items in the same order.</param>
/// <param name="OtherSeedOtherOrder">Another seed gives another order.</param>
/// <param name="WorkersChangeNothing">num_worker = 3 gives exactly the batches of num_worker = 1 (it only loads a batch's items in parallel).</param>
/// <param name="PrefetchingSameOrder"><see cref="PrefetchingDataLoader"/> with the same seed delivers the same batches.</param>
public sealed record TorchSharpLoaderDemo(long Items, int BatchSize, long Batches, int LastBatchSize, long BatchesWithDropLast, IReadOnlyList<long> FeatureShape,
    IReadOnlyList<long> FirstBatchIndices, int Seed, bool SameSeedSameOrder, bool OtherSeedOtherOrder, bool WorkersChangeNothing, bool PrefetchingSameOrder)
{
    /// <summary>Runs the demonstration on <paramref name="items"/> free items in batches of <paramref name="batchSize"/>.</summary>
    /// <param name="items">Items in the data set; at least one.</param>
    /// <param name="batchSize">Items per batch; at least one.</param>
    /// <param name="seed">The shuffle seed.</param>
    public static TorchSharpLoaderDemo Run(int items = 10, int batchSize = 4, int seed = 7)
    {
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        TorchRuntime.EnsureLoaded();
        using var data = new SyntheticDataset(items, features: 3);

        List<(long[] Indices, float[] Features, long[] Shape)> Epoch(bool shuffle, int? s, int workers, bool dropLast)
        {
            using var loader = torch.utils.data.DataLoader(data, batchSize, shuffle, seed: s, num_worker: workers, drop_last: dropLast, disposeDataset: false);
            // The loader disposes each batch when it moves on (disposeBatch), so copy what we keep.
            return loader.Select(b => (b["index"].data<long>().ToArray(), b["features"].data<float>().ToArray(), b["features"].shape)).ToList();
        }

        var plain = Epoch(false, null, 1, false);
        var dropped = Epoch(false, null, 1, true);
        var shuffled = Epoch(true, seed, 1, false);
        var again = Epoch(true, seed, 1, false);
        var other = Epoch(true, seed + 1, 1, false);
        var parallel = Epoch(true, seed, 3, false);

        static IEnumerable<long> Order(List<(long[] Indices, float[] Features, long[] Shape)> epoch) => epoch.SelectMany(b => b.Indices);
        var sameContent = shuffled.Count == parallel.Count && shuffled.Zip(parallel).All(p => p.First.Indices.SequenceEqual(p.Second.Indices) && p.First.Features.SequenceEqual(p.Second.Features));

        var prefetched = new List<long>();
        foreach (var batch in new PrefetchingDataLoader(data, batchSize, new PrefetchOptions(Workers: 2, Shuffle: true, Seed: seed)))
        {
            using (batch)
                prefetched.AddRange(batch.Indices);
        }

        return new TorchSharpLoaderDemo(items, batchSize, plain.Count, plain[^1].Indices.Length, dropped.Count, plain[0].Shape,
            shuffled[0].Indices, seed, Order(shuffled).SequenceEqual(Order(again)), !Order(shuffled).SequenceEqual(Order(other)), sameContent,
            prefetched.SequenceEqual(Order(shuffled)));
    }
}
