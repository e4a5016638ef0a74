using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>
/// TorchSharp's own loss functions (<c>torch.nn.functional.*</c>) evaluated on plain arrays in float64, with the
/// same signatures as <see cref="ClosedFormLoss"/> so the two can be compared value for value. Inputs are checked
/// in managed code first (same lengths, finite values, probabilities in [0, 1], class labels in range): bad input
/// gets an <see cref="ArgumentException"/> that says what and where, never a native error or a NaN.
/// </summary>
public static class TorchLoss
{
    /// <summary><c>mse_loss</c>: ℓ = (ŷ − y)².</summary>
    /// <param name="prediction">Predictions ŷ.</param>
    /// <param name="target">Targets y, as many as the predictions.</param>
    /// <param name="reduction">Mean or sum of the terms.</param>
    public static double MeanSquaredError(IReadOnlyList<double> prediction, IReadOnlyList<double> target, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.Elementwise(prediction, target, reduction, nameof(prediction), nameof(target));
        return Evaluate(prediction, target, (p, t) => nn.functional.mse_loss(p, t, Native(reduction)));
    }

    /// <summary><c>l1_loss</c>: ℓ = |ŷ − y|.</summary>
    /// <param name="prediction">Predictions ŷ.</param>
    /// <param name="target">Targets y, as many as the predictions.</param>
    /// <param name="reduction">Mean or sum of the terms.</param>
    public static double L1(IReadOnlyList<double> prediction, IReadOnlyList<double> target, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.Elementwise(prediction, target, reduction, nameof(prediction), nameof(target));
        return Evaluate(prediction, target, (p, t) => nn.functional.l1_loss(p, t, Native(reduction)));
    }

    /// <summary><c>huber_loss</c>: ½d² where |d| ≤ δ, δ(|d| − ½δ) beyond.</summary>
    /// <param name="prediction">Predictions ŷ.</param>
    /// <param name="target">Targets y, as many as the predictions.</param>
    /// <param name="delta">The threshold δ; positive.</param>
    /// <param name="reduction">Mean or sum of the terms.</param>
    public static double Huber(IReadOnlyList<double> prediction, IReadOnlyList<double> target, double delta = 1, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.Elementwise(prediction, target, reduction, nameof(prediction), nameof(target));
        Infrastructure.Require.Positive(delta, nameof(delta));
        return Evaluate(prediction, target, (p, t) => nn.functional.huber_loss(p, t, delta, Native(reduction)));
    }

    /// <summary><c>smooth_l1_loss</c>: ½d²/β where |d| &lt; β, |d| − ½β beyond.</summary>
    /// <param name="prediction">Predictions ŷ.</param>
    /// <param name="target">Targets y, as many as the predictions.</param>
    /// <param name="beta">The threshold β; zero or positive.</param>
    /// <param name="reduction">Mean or sum of the terms.</param>
    public static double SmoothL1(IReadOnlyList<double> prediction, IReadOnlyList<double> target, double beta = 1, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.Elementwise(prediction, target, reduction, nameof(prediction), nameof(target));
        if (!(beta >= 0) || !double.IsFinite(beta))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "Must be a finite number, zero or greater.");
        return Evaluate(prediction, target, (p, t) => nn.functional.smooth_l1_loss(p, t, Native(reduction), beta));
    }

    /// <summary>
    /// <c>binary_cross_entropy</c> on probabilities p = σ(z): −[y·log p + (1 − y)·log(1 − p)], logs clamped at −100.
    /// Fed with σ(z) for a large |z| it saturates: from z ≈ 37 in float64 (z ≈ 17 in float32) σ(z) rounds to exactly 1,
    /// so log(1 − p) is log 0, clamped to −100 — the loss is stuck at 100 whatever the true value (at z = ±100 the
    /// truth happens to be ≈ 100 too; at ±1000 it is 1000). Use
    /// <see cref="BinaryCrossEntropyWithLogits"/> on the logits instead.
    /// </summary>
    /// <param name="probability">Predicted probabilities, each in [0, 1].</param>
    /// <param name="target">Targets in [0, 1], as many as the probabilities.</param>
    /// <param name="reduction">Mean or sum of the terms.</param>
    public static double BinaryCrossEntropy(IReadOnlyList<double> probability, IReadOnlyList<double> target, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.Elementwise(probability, target, reduction, nameof(probability), nameof(target));
        LossArguments.UnitInterval(probability, nameof(probability), "Probability");
        LossArguments.UnitInterval(target, nameof(target), "Target");
        return Evaluate(probability, target, (p, t) => nn.functional.binary_cross_entropy(p, t, reduction: Native(reduction)));
    }

    /// <summary>
    /// <c>binary_cross_entropy_with_logits</c>: the same loss taken from the logit z, computed by libtorch as
    /// (1 − y)·z + max(−z, 0) + log(e^{−max(−z,0)} + e^{−z−max(−z,0)}) — a log-sum-exp that never forms σ(z), so it is
    /// finite and exact for logits of ±100 or ±1000.
    /// </summary>
    /// <param name="logit">Logits (any finite numbers).</param>
    /// <param name="target">Targets in [0, 1], as many as the logits.</param>
    /// <param name="reduction">Mean or sum of the terms.</param>
    public static double BinaryCrossEntropyWithLogits(IReadOnlyList<double> logit, IReadOnlyList<double> target, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.Elementwise(logit, target, reduction, nameof(logit), nameof(target));
        LossArguments.UnitInterval(target, nameof(target), "Target");
        return Evaluate(logit, target, (p, t) => nn.functional.binary_cross_entropy_with_logits(p, t, reduction: Native(reduction)));
    }

    /// <summary><c>cross_entropy</c> on logits and class indices: log Σⱼ e^{zⱼ} − z_c (log_softmax followed by NLL).</summary>
    /// <param name="logits">One row per sample, one column per class.</param>
    /// <param name="classes">The true class of each row, in [0, columns).</param>
    /// <param name="reduction">Mean over the samples, or their sum.</param>
    public static double CrossEntropy(double[,] logits, IReadOnlyList<int> classes, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.ClassScores(logits, classes, reduction, nameof(logits), nameof(classes));
        return Evaluate(logits, classes, (z, c) => nn.functional.cross_entropy(z, c, reduction: Native(reduction)));
    }

    /// <summary><c>nll_loss</c> on log-probabilities and class indices: −log p_c.</summary>
    /// <param name="logProbabilities">One row per sample, one column per class.</param>
    /// <param name="classes">The true class of each row, in [0, columns).</param>
    /// <param name="reduction">Mean over the samples, or their sum.</param>
    public static double NegativeLogLikelihood(double[,] logProbabilities, IReadOnlyList<int> classes, LossReduction reduction = LossReduction.Mean)
    {
        LossArguments.ClassScores(logProbabilities, classes, reduction, nameof(logProbabilities), nameof(classes));
        return Evaluate(logProbabilities, classes, (z, c) => nn.functional.nll_loss(z, c, reduction: Native(reduction)));
    }

    internal static nn.Reduction Native(LossReduction reduction) =>
        reduction == LossReduction.Sum ? nn.Reduction.Sum : nn.Reduction.Mean;

    private static double Evaluate(IReadOnlyList<double> input, IReadOnlyList<double> target, Func<Tensor, Tensor, Tensor> loss)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var p = tensor(input.ToArray(), dtype: ScalarType.Float64);
        var t = tensor(target.ToArray(), dtype: ScalarType.Float64);
        return loss(p, t).item<double>();
    }

    private static double Evaluate(double[,] scores, IReadOnlyList<int> classes, Func<Tensor, Tensor, Tensor> loss)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var z = tensor(scores, dtype: ScalarType.Float64);
        var c = tensor(classes.Select(k => (long)k).ToArray(), dtype: ScalarType.Int64);
        return loss(z, c).item<double>();
    }
}
