using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Classification;

/// <summary>Batches of tabular rows (float32 [batch, features]) with seeded shuffling per epoch.</summary>
public sealed class TabularBatchSource : IBatchSource
{
    private readonly float[] features;
    private readonly int featureCount;

    /// <summary>Creates a source over <paramref name="data"/> (standardise it first, e.g. with <see cref="TabularSplit"/>).</summary>
    /// <param name="data">The rows.</param>
    /// <param name="batchSize">Rows per batch.</param>
    /// <param name="shuffle">Shuffle every epoch, seeded by (seed, epoch).</param>
    /// <param name="seed">The shuffle seed.</param>
    /// <param name="dropLast">Leave out a last batch smaller than <paramref name="batchSize"/>.</param>
    public TabularBatchSource(TabularDataSet data, int batchSize = 32, bool shuffle = true, int seed = 0, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (data.Count == 0)
            throw new ArgumentException($"{data.Name} has no rows.", nameof(data));
        Data = data;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        featureCount = data.FeatureCount;
        features = new float[data.Count * featureCount];
        for (var i = 0; i < data.Count; i++)
        {
            for (var j = 0; j < featureCount; j++)
            {
                var value = data.Features[i, j];
                if (!double.IsFinite(value))
                    throw new ArgumentException($"{data.Name}: feature {j} of row {i} is {value}; every feature must be finite.", nameof(data));
                features[i * featureCount + j] = (float)value;
            }
        }
        TorchRuntime.EnsureLoaded();
    }

    /// <summary>The rows.</summary>
    public TabularDataSet Data { get; }

    /// <summary>Rows per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch is shuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>The shuffle seed.</summary>
    public int Seed { get; }

    /// <summary>Whether a short last batch is left out.</summary>
    public bool DropLast { get; }

    /// <inheritdoc />
    public long SampleCount => DropLast ? Data.Count / BatchSize * BatchSize : Data.Count;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => Data.ClassNames;

    /// <inheritdoc />
    public IEnumerable<LabeledBatch> GetBatches(int epoch, CancellationToken cancellationToken = default)
    {
        var order = BatchSeeds.Order(Data.Count, Shuffle, BatchSeeds.For(Seed, epoch));
        foreach (var (start, end) in BatchSeeds.Ranges(Data.Count, BatchSize, DropLast))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = new float[(end - start) * featureCount];
            var labels = new long[end - start];
            for (var i = start; i < end; i++)
            {
                features.AsSpan(order[i] * featureCount, featureCount).CopyTo(rows.AsSpan((i - start) * featureCount));
                labels[i - start] = Data.Labels[order[i]];
            }
            yield return new LabeledBatch(tensor(rows, [end - start, featureCount]), tensor(labels, ScalarType.Int64));
        }
    }
}
