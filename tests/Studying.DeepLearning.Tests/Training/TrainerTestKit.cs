using Studying.DeepLearning.Classification;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Tests.Training;

/// <summary>
/// A small MLP (optionally with the library's <see cref="GeneratorDropout"/>), whose weights come from a private
/// generator seeded with the seed (see <see cref="PrivateInit.Reinitialize"/>): two copies start equal
/// without touching torch's global generator, so tests that build it need not run alone.
/// </summary>
internal sealed class TinyMlp : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> layers;

    public TinyMlp(int inputs, int hidden, int classes, long seed, double dropout = 0) : base(nameof(TinyMlp))
    {
        TorchRuntime.EnsureLoaded();
        layers = dropout > 0
            ? nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU(), new GeneratorDropout(dropout), nn.Linear(hidden, classes))
            : nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, classes));
        RegisterComponents();
        PrivateInit.Reinitialize(this, seed);
    }

    public override Tensor forward(Tensor input) => layers.call(input);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            layers.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>Fixed batches from arrays, the same every epoch (with hooks to break things on purpose).</summary>
internal sealed class ArraySource(float[][] inputs, long[] targets, int batchSize, IReadOnlyList<string> classNames) : IBatchSource
{
    public long SampleCount => ReportedCount ?? targets.Length;

    public long? ReportedCount { get; init; }

    public IReadOnlyList<string> ClassNames => classNames;

    /// <summary>Replaces the inputs of this (epoch, batch) with NaN.</summary>
    public (int Epoch, int Batch)? PoisonAt { get; init; }

    public IEnumerable<LabeledBatch> GetBatches(int epoch, CancellationToken cancellationToken = default)
    {
        var features = inputs.Length > 0 ? inputs[0].Length : 1;
        for (int start = 0, batch = 1; start < targets.Length; start += batchSize, batch++)
        {
            var count = Math.Min(batchSize, targets.Length - start);
            var x = inputs.Skip(start).Take(count).SelectMany(r => r).ToArray();
            if (PoisonAt == (epoch, batch))
                Array.Fill(x, float.NaN);
            yield return new LabeledBatch(tensor(x, [count, features]).DetachFromDisposeScope(), tensor(targets.Skip(start).Take(count).ToArray()).DetachFromDisposeScope());
        }
    }
}

/// <summary>An <see cref="IProgress{T}"/> that runs inline (no synchronisation context), so a test can cancel at an exact point.</summary>
internal sealed class InlineProgress(Action<TrainingProgress> onReport) : IProgress<TrainingProgress>
{
    public List<TrainingProgress> Reports { get; } = [];

    public void Report(TrainingProgress value)
    {
        Reports.Add(value);
        onReport(value);
    }
}

internal static class Weights
{
    /// <summary>Every parameter and buffer as raw float bits, for bit-exact comparisons.</summary>
    public static Dictionary<string, int[]> Bits(nn.Module model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.to_type(ScalarType.Float32).data<float>().ToArray().Select(BitConverter.SingleToInt32Bits).ToArray());

    public static void AssertEqual(Dictionary<string, int[]> expected, Dictionary<string, int[]> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, bits) in expected)
            Assert.True(bits.SequenceEqual(actual[key]), $"'{key}' differs");
    }

    public static bool AllFinite(nn.Module model) =>
        model.parameters().All(p => p.isfinite().all().item<bool>());
}

internal static class PrivateInit
{
    /// <summary>
    /// Overwrites every parameter with U(−1/√fan_in, 1/√fan_in) (the scale of TorchSharp's default Linear
    /// initialisation) drawn from a generator of its own seeded with <paramref name="seed"/>: the same weights whatever
    /// else draws from torch's global generator meanwhile.
    /// </summary>
    public static void Reinitialize(nn.Module model, long seed)
    {
        using var generator = new torch.Generator((ulong)seed);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var fanIn = parameter.dim() > 1 ? parameter.shape.Skip(1).Aggregate(1L, (a, b) => a * b) : parameter.shape[0];
            var bound = 1 / Math.Sqrt(fanIn);
            parameter.copy_(torch.rand(parameter.shape, dtype: parameter.dtype, generator: generator).mul_(2 * bound).sub_(bound));
        }
    }
}
