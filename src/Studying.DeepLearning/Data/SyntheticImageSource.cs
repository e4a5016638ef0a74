using static TorchSharp.torch;

namespace Studying.DeepLearning.Data;

/// <summary>
/// A synthetic <see cref="IBatchSource"/> of random images (standard normal pixels) with random labels, for timing and
/// memory benchmarks where only the shapes matter. A small pool of distinct batches is drawn once from the seed and
/// repeated, so every pass (and every consumer) sees the same batches and making a batch costs one copy.
/// </summary>
public sealed class SyntheticImageSource : IBatchSource
{
    private readonly float[][] images;
    private readonly long[][] labels;
    private readonly long[] shape;

    /// <summary>Draws the distinct batches once from <paramref name="seed"/>.</summary>
    /// <param name="batches">Batches per pass.</param>
    /// <param name="batchSize">Images per batch.</param>
    /// <param name="channels">Image channels.</param>
    /// <param name="size">Image height and width.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="seed">Seed of the pixels and labels.</param>
    /// <param name="distinct">Distinct batches drawn (at most <paramref name="batches"/>); the pass cycles through them.</param>
    public SyntheticImageSource(int batches, int batchSize, int channels, int size, int classes, int seed, int distinct = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batches, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(distinct, 1);
        Batches = batches;
        shape = [batchSize, channels, size, size];
        ClassNames = [.. Enumerable.Range(0, classes).Select(c => $"class {c}")];
        var random = new Random(seed);
        var count = Math.Min(distinct, batches);
        images = new float[count][];
        labels = new long[count][];
        for (var b = 0; b < count; b++)
        {
            images[b] = new float[batchSize * channels * size * size];
            for (var i = 0; i < images[b].Length; i++)
                images[b][i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            labels[b] = new long[batchSize];
            for (var i = 0; i < batchSize; i++)
                labels[b][i] = random.Next(classes);
        }
    }

    /// <summary>Batches per pass.</summary>
    public int Batches { get; }

    /// <inheritdoc />
    public long SampleCount => (long)Batches * shape[0];

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public IEnumerable<LabeledBatch> GetBatches(int epoch, CancellationToken cancellationToken = default)
    {
        for (var b = 0; b < Batches; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var k = b % images.Length;
            yield return new LabeledBatch(tensor(images[k], shape).DetachFromDisposeScope(), tensor(labels[k]).DetachFromDisposeScope());
        }
    }
}
