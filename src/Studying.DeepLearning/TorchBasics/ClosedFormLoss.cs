using Studying.DeepLearning.Infrastructure;
namespace Studying.DeepLearning.TorchBasics;

/// <summary>
/// The loss functions of <see cref="TorchLoss"/> written out in plain C# doubles from their textbook formulas —
/// the independent truth TorchSharp's values are checked against. ŷ is a prediction, y a target, d = ŷ − y;
/// <see cref="LossReduction.Mean"/> averages the per-element (per-sample) terms, <see cref="LossReduction.Sum"/> adds them.
/// </summary>
public static class ClosedFormLoss
{
    /// <summary>Mean squared error: ℓ = d².</summary>
    /// <param name="prediction">Predictions ŷ.</param>
    /// <param name="target">Targets y, as many as the predictions.</param>
    /// <param name="reduction">Mean or sum of the terms.</param>
    public static double MeanSquaredError(IReadOnlyList<double> prediction, IReadOnlyList<double> target, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.Elementwise(prediction, target, reduction, nameof(prediction), nameof(target));
        return Reduce(prediction.Select((p, i) => (p - target[i]) * (p - target[i])), reduction);
    }

    /// <summary>L1 (mean absolute error): ℓ = |d|.</summary>
    /// <param name="prediction">Predictions ŷ.</param>
    /// <param name="target">Targets y, as many as the predictions.</param>
    /// <param name="reduction">Mean or sum of the terms.</param>
    public static double L1(IReadOnlyList<double> prediction, IReadOnlyList<double> target, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.Elementwise(prediction, target, reduction, nameof(prediction), nameof(target));
        return Reduce(prediction.Select((p, i) => Math.Abs(p - target[i])), reduction);
    }

    /// <summary>Huber: ℓ = ½d² where |d| ≤ δ, δ(|d| − ½δ) beyond — quadratic near zero, linear (robust to outliers) far away.</summary>
    /// <param name="prediction">Predictions ŷ.</param>
    /// <param name="target">Targets y, as many as the predictions.</param>
    /// <param name="delta">The threshold δ between the quadratic and the linear part; positive.</param>
    /// <param name="reduction">Mean or sum of the terms.</param>
    public static double Huber(IReadOnlyList<double> prediction, IReadOnlyList<double> target, double delta = 1, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.Elementwise(prediction, target, reduction, nameof(prediction), nameof(target));
        Infrastructure.Require.Positive(delta, nameof(delta));
        return Reduce(prediction.Select((p, i) => HuberTerm(p - target[i], delta)), reduction);
    }

    /// <summary>Smooth L1: ℓ = ½d²/β where |d| &lt; β, |d| − ½β beyond (so Huber with δ equals δ × smooth L1 with β = δ; β = 0 is L1).</summary>
    /// <param name="prediction">Predictions ŷ.</param>
    /// <param name="target">Targets y, as many as the predictions.</param>
    /// <param name="beta">The threshold β; zero or positive.</param>
    /// <param name="reduction">Mean or sum of the terms.</param>
    public static double SmoothL1(IReadOnlyList<double> prediction, IReadOnlyList<double> target, double beta = 1, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.Elementwise(prediction, target, reduction, nameof(prediction), nameof(target));
        if (!(beta >= 0) || !double.IsFinite(beta))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "Must be a finite number, zero or greater.");
        return Reduce(prediction.Select((p, i) => SmoothL1Term(p - target[i], beta)), reduction);
    }

    /// <summary>
    /// Binary cross-entropy on probabilities: ℓ = −[y·log p + (1 − y)·log(1 − p)], with each log clamped at −100 as
    /// PyTorch does, so p = 0 or 1 gives at most 100 instead of infinity.
    /// </summary>
    /// <param name="probability">Predicted probabilities p of class 1, each in [0, 1].</param>
    /// <param name="target">Targets y in [0, 1] (usually 0 or 1), as many as the probabilities.</param>
    /// <param name="reduction">Mean or sum of the terms.</param>
    public static double BinaryCrossEntropy(IReadOnlyList<double> probability, IReadOnlyList<double> target, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.Elementwise(probability, target, reduction, nameof(probability), nameof(target));
        LossArguments.UnitInterval(probability, nameof(probability), "Probability");
        LossArguments.UnitInterval(target, nameof(target), "Target");
        return Reduce(probability.Select((p, i) => -(target[i] * ClampedLog(p) + (1 - target[i]) * ClampedLog(1 - p))), reduction);
    }

    /// <summary>
    /// Binary cross-entropy on a logit z (p = σ(z)): ℓ = −[y·log σ(z) + (1 − y)·log(1 − σ(z))], evaluated in the stable
    /// form max(z, 0) − z·y + log(1 + e^−|z|), which never forms σ(z) and so stays exact for any finite z.
    /// </summary>
    /// <param name="logit">Logits z (any finite numbers).</param>
    /// <param name="target">Targets y in [0, 1], as many as the logits.</param>
    /// <param name="reduction">Mean or sum of the terms.</param>
    public static double BinaryCrossEntropyWithLogits(IReadOnlyList<double> logit, IReadOnlyList<double> target, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.Elementwise(logit, target, reduction, nameof(logit), nameof(target));
        LossArguments.UnitInterval(target, nameof(target), "Target");
        return Reduce(logit.Select((z, i) => LogitTerm(z, target[i])), reduction);
    }

    /// <summary>
    /// Cross-entropy on logits: ℓ = −log softmax(z)[c] = log Σⱼ e^{zⱼ} − z_c, with the log-sum-exp taken after
    /// subtracting max z (so logits of ±1000 give exact finite values).
    /// </summary>
    /// <param name="logits">One row per sample, one column per class.</param>
    /// <param name="classes">The true class c of each row, in [0, columns).</param>
    /// <param name="reduction">Mean over the samples, or their sum.</param>
    public static double CrossEntropy(double[,] logits, IReadOnlyList<int> classes, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.ClassScores(logits, classes, reduction, nameof(logits), nameof(classes));
        return Reduce(classes.Select((c, i) => LogSumExp(logits, i) - logits[i, c]), reduction);
    }

    /// <summary>Negative log-likelihood on log-probabilities (e.g. the output of log_softmax): ℓ = −log p_c.</summary>
    /// <param name="logProbabilities">One row per sample, one column per class.</param>
    /// <param name="classes">The true class c of each row, in [0, columns).</param>
    /// <param name="reduction">Mean over the samples, or their sum.</param>
    public static double NegativeLogLikelihood(double[,] logProbabilities, IReadOnlyList<int> classes, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.ClassScores(logProbabilities, classes, reduction, nameof(logProbabilities), nameof(classes));
        return Reduce(classes.Select((c, i) => -logProbabilities[i, c]), reduction);
    }

    internal static double HuberTerm(double d, double delta) =>
        Math.Abs(d) <= delta ? 0.5 * d * d : delta * (Math.Abs(d) - 0.5 * delta);

    internal static double SmoothL1Term(double d, double beta) =>
        Math.Abs(d) < beta ? 0.5 * d * d / beta : Math.Abs(d) - 0.5 * beta;

    /// <summary>The stable binary cross-entropy of one logit: softplus(z) − z·y.</summary>
    internal static double LogitTerm(double z, double y) => Math.Max(z, 0) - z * y + LogOnePlus(Math.Exp(-Math.Abs(z)));

    private static double ClampedLog(double p) => Math.Max(Math.Log(p), -100);

    private static double LogSumExp(double[,] z, int row)
    {
        var max = double.NegativeInfinity;
        for (var j = 0; j < z.GetLength(1); j++)
            max = Math.Max(max, z[row, j]);
        var sum = 0.0;
        for (var j = 0; j < z.GetLength(1); j++)
            sum += Math.Exp(z[row, j] - max);
        return max + Math.Log(sum);
    }

    /// <summary>log(1 + u) for u ≥ 0, accurate also when u is tiny (where 1 + u rounds to 1).</summary>
    private static double LogOnePlus(double u) => u < 1e-5 ? u - u * u / 2 + u * u * u / 3 : Math.Log(1 + u);

    private static double Reduce(IEnumerable<double> terms, LossReduction reduction)
    {
        double sum = 0;
        var count = 0;
        foreach (var t in terms)
        {
            sum += t;
            count++;
        }
        return reduction == LossReduction.Sum ? sum : sum / count;
    }
}
