using Studying.DeepLearning.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>
/// What loading one item costs: <paramref name="LatencyMilliseconds"/> of waiting (like a disk or network read:
/// the thread sleeps and the core is free) followed by <paramref name="CpuMilliseconds"/> of real arithmetic
/// (like decoding or augmenting: a fixed amount of work that occupies a core).
/// </summary>
/// <param name="LatencyMilliseconds">Time spent waiting per item; zero or more.</param>
/// <param name="CpuMilliseconds">Computation per item, in milliseconds of one idle core; zero or more.</param>
public sealed record ItemCost(double LatencyMilliseconds = 0, double CpuMilliseconds = 0)
{
    /// <summary>No cost: items are made at memory speed.</summary>
    public static ItemCost Free { get; } = new();

    /// <summary>The time one worker needs for one item on an idle core.</summary>
    public double TotalMilliseconds => LatencyMilliseconds + CpuMilliseconds;

    /// <summary>Throws unless both costs are finite and not negative.</summary>
    /// <param name="paramName">The argument name to report.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative, NaN or infinite cost.</exception>
    public void Validate(string paramName)
    {
        if (!(LatencyMilliseconds >= 0) || !double.IsFinite(LatencyMilliseconds))
            throw new ArgumentOutOfRangeException(paramName, LatencyMilliseconds, "The per-item latency must be a finite number of milliseconds, zero or more.");
        if (!(CpuMilliseconds >= 0) || !double.IsFinite(CpuMilliseconds))
            throw new ArgumentOutOfRangeException(paramName, CpuMilliseconds, "The per-item CPU work must be a finite number of milliseconds, zero or more.");
    }
}

/// <summary>
/// A synthetic regression data set in TorchSharp's map-style form: item <c>i</c> is
/// <c>{"index": i, "features": x ∈ ℝ^d, "target": w·x + b}</c> with w_j = 1/(j+1) and b = 0.5, x drawn from a
/// generator seeded by (seed, i) — so every item is the same whenever and on whichever thread it is made.
/// Each <see cref="GetTensor"/> call pays the configured <see cref="ItemCost"/>.
/// </summary>
public sealed class SyntheticDataset : torch.utils.data.Dataset
{
    private readonly long count;

    /// <summary>Creates the data set.</summary>
    /// <param name="count">Number of items; at least one.</param>
    /// <param name="features">Features per item (d); at least one.</param>
    /// <param name="cost">What loading one item costs, or <see langword="null"/> for <see cref="ItemCost.Free"/>.</param>
    /// <param name="seed">Seed of the feature values.</param>
    public SyntheticDataset(long count, int features = 16, ItemCost? cost = null, int seed = 0)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "A data set needs at least one item.");
        if (features < 1)
            throw new ArgumentOutOfRangeException(nameof(features), features, "Each item needs at least one feature.");
        cost ??= ItemCost.Free;
        cost.Validate(nameof(cost));
        TorchRuntime.EnsureLoaded();
        this.count = count;
        Features = features;
        Cost = cost;
        Seed = seed;
    }

    /// <summary>The intercept b of the target.</summary>
    public const float Bias = 0.5f;

    /// <summary>Number of items.</summary>
    public override long Count => count;

    /// <summary>Features per item.</summary>
    public int Features { get; }

    /// <summary>The cost paid by every <see cref="GetTensor"/> call.</summary>
    public ItemCost Cost { get; }

    /// <summary>The seed of the feature values.</summary>
    public int Seed { get; }

    /// <summary>The weight w_j = 1/(j+1) of feature j in the target.</summary>
    /// <param name="j">Feature number.</param>
    public static float Weight(int j) => 1f / (j + 1);

    /// <summary>The features of item <paramref name="index"/> as plain numbers (what <see cref="GetTensor"/> puts in a tensor).</summary>
    /// <param name="index">Item index, 0 ≤ index &lt; <see cref="Count"/>.</param>
    public float[] FeaturesOf(long index)
    {
        if (index < 0 || index >= count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The data set has items 0 to {count - 1}.");
        var random = new Random(HashCode.Combine(Seed, index));
        var x = new float[Features];
        for (var j = 0; j < x.Length; j++)
            x[j] = (float)(2 * random.NextDouble() - 1);
        return x;
    }

    /// <summary>Makes item <paramref name="index"/>, after paying its latency and CPU cost.</summary>
    /// <param name="index">Item index, 0 ≤ index &lt; <see cref="Count"/>.</param>
    /// <returns>"index" (int64 scalar), "features" (float32 [d]) and "target" (float32 scalar), created on the calling thread.</returns>
    public override Dictionary<string, Tensor> GetTensor(long index)
    {
        var x = FeaturesOf(index);
        if (Cost.LatencyMilliseconds > 0)
            Thread.Sleep(TimeSpan.FromMilliseconds(Cost.LatencyMilliseconds));
        CpuWork.Run(Cost.CpuMilliseconds);
        var y = Bias;
        for (var j = 0; j < x.Length; j++)
            y += Weight(j) * x[j];
        return new Dictionary<string, Tensor>
        {
            ["index"] = tensor(index),
            ["features"] = tensor(x),
            ["target"] = tensor(y),
        };
    }
}
