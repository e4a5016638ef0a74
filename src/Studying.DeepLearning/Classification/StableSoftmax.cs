using Studying.DeepLearning.Infrastructure;
namespace Studying.DeepLearning.Classification;

/// <summary>
/// Sigmoid, softmax and log-softmax in plain C# doubles, written so they never overflow: the independent truth
/// TorchSharp's <c>softmax</c>/<c>log_softmax</c> are checked against.
/// </summary>
/// <remarks>
/// softmax(z)ᵢ = e^{zᵢ} / Σⱼ e^{zⱼ} is unchanged when the same constant is subtracted from every logit, so we subtract
/// m = max z first: every exponent is then ≤ 0 (no overflow) and the largest term is e⁰ = 1 (the sum is ≥ 1, no
/// division by zero). log-softmax is zᵢ − logsumexp(z) with logsumexp(z) = m + log Σ e^{zⱼ − m}; computing it directly,
/// not as log(softmax), keeps tiny probabilities as finite large negative numbers instead of log(0) = −∞.
/// With two logits, softmax([a, b])₀ = 1 / (1 + e^{b − a}) = σ(a − b): sigmoid is the two-class softmax.
/// </remarks>
public static class StableSoftmax
{
    /// <summary>σ(z) = 1 / (1 + e^{−z}), evaluated on the side that cannot overflow.</summary>
    /// <param name="z">A logit (NaN gives NaN; ±∞ give 1 and 0).</param>
    public static double Sigmoid(double z)
    {
        if (z >= 0)
            return 1 / (1 + Math.Exp(-z));
        var e = Math.Exp(z);
        return e / (1 + e);
    }

    /// <summary>σ'(z) = σ(z)·(1 − σ(z)), largest (¼) at z = 0.</summary>
    /// <param name="z">A logit.</param>
    public static double SigmoidDerivative(double z)
    {
        var s = Sigmoid(z);
        return s * (1 - s);
    }

    /// <summary>log Σ e^{zⱼ}, computed as m + log Σ e^{zⱼ − m} with m = max z.</summary>
    /// <param name="logits">Finite logits, at least one.</param>
    public static double LogSumExp(IReadOnlyList<double> logits)
    {
        Infrastructure.Require.FiniteAndNonEmpty(logits, nameof(logits));
        var max = logits.Max();
        var sum = 0.0;
        foreach (var z in logits)
            sum += Math.Exp(z - max);
        return max + Math.Log(sum);
    }

    /// <summary>Softmax probabilities, e^{zᵢ − m} / Σ e^{zⱼ − m}; they are non-negative and sum to 1.</summary>
    /// <param name="logits">Finite logits, at least one.</param>
    public static double[] Softmax(IReadOnlyList<double> logits)
    {
        Infrastructure.Require.FiniteAndNonEmpty(logits, nameof(logits));
        var max = logits.Max();
        var exps = logits.Select(z => Math.Exp(z - max)).ToArray();
        var sum = exps.Sum();
        return exps.Select(e => e / sum).ToArray();
    }

    /// <summary>Log-probabilities zᵢ − logsumexp(z): finite for finite logits, even where the probability underflows to 0.</summary>
    /// <param name="logits">Finite logits, at least one.</param>
    public static double[] LogSoftmax(IReadOnlyList<double> logits)
    {
        var lse = LogSumExp(logits);
        return logits.Select(z => z - lse).ToArray();
    }
}
