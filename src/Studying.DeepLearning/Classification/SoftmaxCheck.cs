using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Classification;

/// <summary>TorchSharp's softmax and log-softmax of one logit vector against <see cref="StableSoftmax"/>.</summary>
/// <param name="Logits">The logits (float64).</param>
/// <param name="Softmax">TorchSharp's <c>softmax(dim: 0)</c>.</param>
/// <param name="LogSoftmax">TorchSharp's <c>log_softmax(dim: 0)</c>.</param>
/// <param name="MaxSoftmaxDifference">max |TorchSharp − <see cref="StableSoftmax.Softmax"/>|.</param>
/// <param name="MaxLogSoftmaxDifference">max |TorchSharp − <see cref="StableSoftmax.LogSoftmax"/>|.</param>
/// <param name="AllFinite">Whether every value TorchSharp returned is finite (no NaN, no ±∞).</param>
public sealed record SoftmaxCheck(IReadOnlyList<double> Logits, IReadOnlyList<double> Softmax, IReadOnlyList<double> LogSoftmax,
    double MaxSoftmaxDifference, double MaxLogSoftmaxDifference, bool AllFinite)
{
    /// <summary>The logit vectors the lesson checks: ordinary, huge positive, huge negative, and mixed ±1000.</summary>
    public static IReadOnlyList<IReadOnlyList<double>> LessonLogits { get; } =
    [
        [2, 1, 0.1],
        [1000, 1000, 999],
        [-1000, -1000, -999],
        [1000, -1000, 0],
    ];

    /// <summary>Runs TorchSharp's softmax and log-softmax on <paramref name="logits"/> (float64) and compares them with the plain C# truth.</summary>
    /// <param name="logits">Finite logits, at least one.</param>
    public static SoftmaxCheck Compare(IReadOnlyList<double> logits)
    {
        var expectedSoftmax = StableSoftmax.Softmax(logits); // validates
        var expectedLog = StableSoftmax.LogSoftmax(logits);
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var z = tensor(logits.ToArray(), dtype: ScalarType.Float64);
        var softmax = z.softmax(0).data<double>().ToArray();
        var logSoftmax = z.log_softmax(0).data<double>().ToArray();
        return new SoftmaxCheck(logits.ToArray(), softmax, logSoftmax,
            softmax.Zip(expectedSoftmax, (a, b) => Math.Abs(a - b)).Max(),
            logSoftmax.Zip(expectedLog, (a, b) => Math.Abs(a - b)).Max(),
            softmax.Concat(logSoftmax).All(double.IsFinite));
    }
}
