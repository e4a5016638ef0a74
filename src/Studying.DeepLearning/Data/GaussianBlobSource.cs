using static TorchSharp.torch;

namespace Studying.DeepLearning.Data;

/// <summary>
/// A synthetic <see cref="IBatchSource"/>: Gaussian blobs (unit variance) around class centres placed
/// <c>separation</c> apart on the coordinate axes, reshuffled each epoch from the seed and the epoch. With a large
/// separation the classes are linearly separable in practice; with <c>randomLabels</c> the labels ignore the inputs
/// (no model can beat chance on held-out data). Used by the trainer's benchmark, demo and tests.
/// </summary>
public sealed class GaussianBlobSource : IBatchSource
{
    private readonly float[] inputs;
    private readonly long[] targets;
    private readonly int features;
    private readonly int batchSize;
    private readonly int seed;

    /// <summary>Draws the blobs once from <paramref name="seed"/> (the same samples in every process).</summary>
    /// <param name="samples">Number of samples (0 or more).</param>
    /// <param name="classes">Number of classes (2 or more).</param>
    /// <param name="features">Dimensions of each sample (at least <paramref name="classes"/>: one axis per class centre).</param>
    /// <param name="separation">Distance of each class centre from the origin, in standard deviations.</param>
    /// <param name="batchSize">Samples per batch (1 or more).</param>
    /// <param name="seed">Seeds the samples and each epoch's shuffle.</param>
    /// <param name="randomLabels">Labels drawn independently of the inputs (nothing to learn).</param>
    public GaussianBlobSource(int samples, int classes, int features, double separation, int batchSize, int seed, bool randomLabels = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, classes);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        this.features = features;
        this.batchSize = batchSize;
        this.seed = seed;
        ClassNames = [.. Enumerable.Range(0, classes).Select(c => $"class {c}")];
        var random = new Random(seed);
        inputs = new float[samples * features];
        targets = new long[samples];
        for (var i = 0; i < samples; i++)
        {
            var label = i % classes;
            for (var j = 0; j < features; j++)
                inputs[i * features + j] = (float)(Gaussian(random) + (j == label ? separation : 0));
            targets[i] = randomLabels ? random.Next(classes) : label;
        }
    }

    /// <inheritdoc />
    public long SampleCount => targets.Length;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The targets in storage order (for hand counts in tests).</summary>
    public IReadOnlyList<long> Targets => targets;

    /// <inheritdoc />
    public IEnumerable<LabeledBatch> GetBatches(int epoch, CancellationToken cancellationToken = default)
    {
        var order = Enumerable.Range(0, targets.Length).ToArray();
        new Random(unchecked(seed * 1_000_003 + epoch) & int.MaxValue).Shuffle(order);
        for (var start = 0; start < order.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(batchSize, order.Length - start);
            var x = new float[count * features];
            var y = new long[count];
            for (var k = 0; k < count; k++)
            {
                Array.Copy(inputs, order[start + k] * features, x, k * features, features);
                y[k] = targets[order[start + k]];
            }
            yield return new LabeledBatch(tensor(x, [count, features]).DetachFromDisposeScope(), tensor(y).DetachFromDisposeScope());
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
