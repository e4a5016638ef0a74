using Studying.DeepLearning.Infrastructure;
namespace Studying.DeepLearning.Classification;

/// <summary>The result of <see cref="LogisticRegressionReference.Newton"/>.</summary>
/// <param name="Weight">The minimising weight w.</param>
/// <param name="Bias">The minimising bias b.</param>
/// <param name="Iterations">Newton steps taken.</param>
/// <param name="GradientNorm">|∇J| at the returned point (≈ 0 at the minimum).</param>
public sealed record NewtonSolution(double Weight, double Bias, int Iterations, double GradientNorm);

/// <summary>
/// One-feature logistic regression p = σ(w·x + b) in plain C# doubles — the independent truth for the TorchSharp
/// runs. The objective is the mean binary cross-entropy plus an optional L2 penalty on both parameters,
/// J(w, b) = (1/n) Σ [softplus(zᵢ) − yᵢ·zᵢ] + (λ/2)(w² + b²) with zᵢ = w·xᵢ + b, which is exactly what
/// <c>binary_cross_entropy_with_logits</c> plus SGD's <c>weight_decay = λ</c> minimise.
/// </summary>
/// <remarks>
/// Its gradient is ∂J/∂w = (1/n) Σ (σ(zᵢ) − yᵢ)·xᵢ + λw and ∂J/∂b = (1/n) Σ (σ(zᵢ) − yᵢ) + λb. When the classes are
/// separable (hours [1, 2, 3, 4] → [0, 0, 1, 1] are: any threshold between 2 and 3 splits them) the unpenalised loss
/// keeps falling as |w| grows, so its minimum is at infinity and "the" maximum-likelihood answer does not exist;
/// only a penalty λ &gt; 0 gives a unique finite minimiser, which <see cref="Newton"/> finds.
/// </remarks>
public static class LogisticRegressionReference
{
    /// <summary>J(w, b): mean binary cross-entropy on logits (computed stably via softplus) plus (λ/2)(w² + b²).</summary>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Labels 0 or 1, as many as the inputs.</param>
    /// <param name="weight">w.</param>
    /// <param name="bias">b.</param>
    /// <param name="l2">λ ≥ 0.</param>
    public static double Loss(IReadOnlyList<double> x, IReadOnlyList<double> y, double weight, double bias, double l2 = 0)
    {
        Check(x, y, l2);
        var sum = 0.0;
        for (var i = 0; i < x.Count; i++)
        {
            var z = weight * x[i] + bias;
            // softplus(z) − y·z written as (max(z, 0) − y·z) + log(1 + e^{−|z|}): the first part is exact for y = 0 or 1,
            // so a confident correct prediction keeps its tiny loss instead of cancelling to 0.
            sum += Math.Max(z, 0) - y[i] * z + Log1PExpNegAbs(z);
        }
        return sum / x.Count + l2 / 2 * (weight * weight + bias * bias);
    }

    /// <summary>∇J = (∂J/∂w, ∂J/∂b).</summary>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Labels 0 or 1.</param>
    /// <param name="weight">w.</param>
    /// <param name="bias">b.</param>
    /// <param name="l2">λ ≥ 0.</param>
    public static (double Weight, double Bias) Gradient(IReadOnlyList<double> x, IReadOnlyList<double> y, double weight, double bias, double l2 = 0)
    {
        Check(x, y, l2);
        double gw = 0, gb = 0;
        for (var i = 0; i < x.Count; i++)
        {
            var r = StableSoftmax.Sigmoid(weight * x[i] + bias) - y[i];
            gw += r * x[i];
            gb += r;
        }
        return (gw / x.Count + l2 * weight, gb / x.Count + l2 * bias);
    }

    /// <summary>Full-batch gradient descent: <paramref name="steps"/> updates θ ← θ − η∇J(θ), as SGD with weight decay λ does.</summary>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Labels 0 or 1.</param>
    /// <param name="weight">Starting w.</param>
    /// <param name="bias">Starting b.</param>
    /// <param name="learningRate">η &gt; 0.</param>
    /// <param name="steps">Number of updates, ≥ 0.</param>
    /// <param name="l2">λ ≥ 0.</param>
    public static (double Weight, double Bias) GradientDescent(IReadOnlyList<double> x, IReadOnlyList<double> y, double weight, double bias,
        double learningRate, int steps, double l2 = 0)
    {
        Check(x, y, l2);
        Infrastructure.Require.Positive(learningRate, nameof(learningRate));
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        for (var s = 0; s < steps; s++)
        {
            var (gw, gb) = Gradient(x, y, weight, bias, l2);
            weight -= learningRate * gw;
            bias -= learningRate * gb;
        }
        return (weight, bias);
    }

    /// <summary>
    /// Newton's method (for logistic regression the same as iteratively reweighted least squares) on J with λ &gt; 0:
    /// θ ← θ − H⁻¹∇J with H = (1/n) Σ σ(zᵢ)(1 − σ(zᵢ))·[xᵢ, 1][xᵢ, 1]ᵀ + λI, from θ = 0 until the step is below 1e-13.
    /// </summary>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Labels 0 or 1.</param>
    /// <param name="l2">λ &gt; 0: without a penalty separable data have no finite minimiser.</param>
    /// <param name="maxIterations">Upper bound on Newton steps.</param>
    /// <exception cref="InvalidOperationException">Newton's method did not converge within <paramref name="maxIterations"/> steps.</exception>
    public static NewtonSolution Newton(IReadOnlyList<double> x, IReadOnlyList<double> y, double l2, int maxIterations = 100)
    {
        Check(x, y, l2);
        Infrastructure.Require.Positive(l2, nameof(l2));
        double w = 0, b = 0;
        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            var (gw, gb) = Gradient(x, y, w, b, l2);
            double hww = l2, hwb = 0, hbb = l2;
            for (var i = 0; i < x.Count; i++)
            {
                var p = StableSoftmax.Sigmoid(w * x[i] + b);
                var v = p * (1 - p) / x.Count;
                hww += v * x[i] * x[i];
                hwb += v * x[i];
                hbb += v;
            }
            var det = hww * hbb - hwb * hwb;
            var dw = (hbb * gw - hwb * gb) / det;
            var db = (hww * gb - hwb * gw) / det;
            w -= dw;
            b -= db;
            if (Math.Abs(dw) + Math.Abs(db) < 1e-13)
            {
                var (fw, fb) = Gradient(x, y, w, b, l2);
                return new NewtonSolution(w, b, iteration, Math.Sqrt(fw * fw + fb * fb));
            }
        }
        throw new InvalidOperationException($"Newton's method did not converge in {maxIterations} steps (λ = {l2}).");
    }

    /// <summary>softplus(z) = log(1 + eᶻ) = max(z, 0) + log(1 + e^{−|z|}), finite for every finite z.</summary>
    /// <param name="z">A logit.</param>
    public static double Softplus(double z) => Math.Max(z, 0) + Log1PExpNegAbs(z);

    /// <summary>log(1 + t) for t = e^{−|z|} ≤ 1, accurate also where 1 + t rounds to 1 (Goldberg's log1p: log(u)·t/(u − 1)).</summary>
    private static double Log1PExpNegAbs(double z)
    {
        var t = Math.Exp(-Math.Abs(z));
        var u = 1 + t;
        return u == 1 ? t : Math.Log(u) * t / (u - 1);
    }

    private static void Check(IReadOnlyList<double> x, IReadOnlyList<double> y, double l2)
    {
        Infrastructure.Require.FiniteAndNonEmpty(x, nameof(x));
        Infrastructure.Require.FiniteAndNonEmpty(y, nameof(y));
        Infrastructure.Require.SameLength(x, y, nameof(x), nameof(y));
        for (var i = 0; i < y.Count; i++)
        {
            if (y[i] is not (0 or 1))
                throw new ArgumentException($"Label at index {i} is {y[i]}; labels must be 0 or 1.", nameof(y));
        }
        if (!(l2 >= 0) || !double.IsFinite(l2))
            throw new ArgumentOutOfRangeException(nameof(l2), l2, "The L2 penalty must be a finite number, zero or greater.");
    }
}
