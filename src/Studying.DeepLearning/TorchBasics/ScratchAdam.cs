namespace Studying.DeepLearning.TorchBasics;

/// <summary>
/// Adam as PyTorch defines it. At step t: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², then
/// p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε) — bias-corrected, with ε added after the square root.
/// Weight decay λ is either L2 (Adam: g ← g + λp before the moments) or decoupled (AdamW: p ← p(1 − lr·λ) before the update).
/// </summary>
/// <param name="learningRate">lr; positive.</param>
/// <param name="beta1">β₁, decay of the first moment.</param>
/// <param name="beta2">β₂, decay of the second moment.</param>
/// <param name="epsilon">ε, added to the corrected √v.</param>
/// <param name="weightDecay">λ ≥ 0.</param>
/// <param name="decoupled">Whether the decay is decoupled (AdamW) rather than an L2 gradient term (Adam).</param>
public sealed class ScratchAdam(double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0, bool decoupled = false) : IScratchOptimizer
{
    private double[] m = [];
    private double[] v = [];
    private int t;

    /// <inheritdoc/>
    public void Update(double[] parameters, IReadOnlyList<double> gradient)
    {
        ScratchDescent.CheckSizes(parameters, gradient, m.Length);
        if (m.Length == 0)
        {
            m = new double[parameters.Length];
            v = new double[parameters.Length];
        }
        t++;
        var correction1 = 1 - Math.Pow(beta1, t);
        var correction2 = 1 - Math.Pow(beta2, t);
        for (var i = 0; i < parameters.Length; i++)
        {
            var g = gradient[i];
            if (decoupled)
                parameters[i] *= 1 - learningRate * weightDecay;
            else
                g += weightDecay * parameters[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            parameters[i] -= learningRate / correction1 * m[i] / (Math.Sqrt(v[i]) / Math.Sqrt(correction2) + epsilon);
        }
    }
}
