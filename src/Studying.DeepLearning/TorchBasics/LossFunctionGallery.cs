using System.Text.Json.Serialization;
using Studying.DeepLearning.Plotting;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>A loss function as the notebook shows it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="TorchFunction">The TorchSharp function that computes it.</param>
/// <param name="Formula">The per-element (per-sample) term, in plain text.</param>
/// <param name="UseFor">When to use it.</param>
public sealed record LossDescription(string Name, string TorchFunction, string Formula, string UseFor);

/// <summary>One loss evaluated by TorchSharp and by <see cref="ClosedFormLoss"/> on the same input.</summary>
/// <param name="Loss">The loss's name.</param>
/// <param name="Reduction">Mean or sum.</param>
/// <param name="TorchSharp">TorchSharp's value.</param>
/// <param name="ClosedForm">The closed form's value.</param>
public sealed record LossCheck(string Loss, LossReduction Reduction, double TorchSharp, double ClosedForm)
{
    /// <summary>|TorchSharp − closed form|.</summary>
    public double Difference => Math.Abs(TorchSharp - ClosedForm);
}

/// <summary>Binary cross-entropy at one logit, computed in the three ways that differ at extreme logits.</summary>
/// <param name="Logit">The logit z.</param>
/// <param name="Target">The target y (0 or 1).</param>
/// <param name="Exact">softplus(z) − z·y, evaluated stably in C#.</param>
/// <param name="WithLogits">TorchSharp's <c>binary_cross_entropy_with_logits(z, y)</c> in float64.</param>
/// <param name="PlainOnSigmoid">TorchSharp's <c>binary_cross_entropy(sigmoid(z), y)</c> in float64 (saturates at 100).</param>
/// <param name="PlainOnSigmoidFloat32">The same in float32, which saturates much earlier.</param>
/// <param name="CrossEntropyTwoClass">TorchSharp's <c>cross_entropy</c> of logits [0, z] with class y: the same loss as a softmax over two classes.</param>
public sealed record LogitStabilityRow(double Logit, double Target, double Exact, double WithLogits, double PlainOnSigmoid, double PlainOnSigmoidFloat32, double CrossEntropyTwoClass);

/// <summary>The results of <see cref="LossFunctionGallery.Run"/>; <see cref="Figures"/> holds its charts.</summary>
/// <param name="Losses">The losses, with formulas.</param>
/// <param name="Checks">TorchSharp against the closed forms on <see cref="LossFunctionGallery.SamplePrediction"/>-style inputs.</param>
/// <param name="Stability">Binary cross-entropy at extreme logits, three ways.</param>
public sealed record LossGalleryReport(IReadOnlyList<LossDescription> Losses, IReadOnlyList<LossCheck> Checks, IReadOnlyList<LogitStabilityRow> Stability)
{
    /// <summary>Charts by file-friendly name: regression-losses, bce-probability, bce-logits, cross-entropy, logit-saturation.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, Figure> Figures { get; init; } = new Dictionary<string, Figure>();
}

/// <summary>The loss-function section: what each loss is, that TorchSharp computes it as the formula says, and why logits beat probabilities.</summary>
public static class LossFunctionGallery
{
    /// <summary>The losses of the section, with their formulas (d = ŷ − y; σ is the sigmoid; z are logits; c the true class).</summary>
    public static IReadOnlyList<LossDescription> Losses { get; } =
    [
        new("MSE", "nn.functional.mse_loss", "ℓ = (ŷ − y)²", "regression; punishes large errors quadratically (sensitive to outliers)"),
        new("L1", "nn.functional.l1_loss", "ℓ = |ŷ − y|", "regression robust to outliers; gradient ±1 everywhere, not smooth at 0"),
        new("Huber (δ)", "nn.functional.huber_loss", "ℓ = ½d² if |d| ≤ δ, else δ(|d| − ½δ)", "regression: MSE near the target, L1 far from it"),
        new("Smooth L1 (β)", "nn.functional.smooth_l1_loss", "ℓ = ½d²/β if |d| < β, else |d| − ½β  (Huber_δ = δ · SmoothL1_β=δ)", "as Huber, scaled so the linear part has slope 1 (object detection boxes)"),
        new("BCE", "nn.functional.binary_cross_entropy", "ℓ = −[y log p + (1 − y) log(1 − p)], logs clamped at −100", "binary classification from probabilities p = σ(z); saturates for large |z|"),
        new("BCE with logits", "nn.functional.binary_cross_entropy_with_logits", "ℓ = max(z, 0) − z·y + log(1 + e^−|z|)", "binary classification from logits: stable for any z — prefer it"),
        new("Cross-entropy", "nn.functional.cross_entropy", "ℓ = log Σⱼ e^{zⱼ} − z_c", "multi-class classification from logits (log_softmax + NLL in one stable step)"),
        new("NLL", "nn.functional.nll_loss", "ℓ = −log p_c  (input: log-probabilities)", "multi-class after an explicit log_softmax"),
    ];

    /// <summary>The regression inputs the checks use (predictions).</summary>
    public static IReadOnlyList<double> SamplePrediction { get; } = [2.5, -0.3, 0.8, 4.0, -2.2];

    /// <summary>The regression targets the checks use.</summary>
    public static IReadOnlyList<double> SampleTarget { get; } = [3.0, 0.1, 0.8, 1.0, -0.5];

    /// <summary>
    /// The logits of the stability table. On the wrong side (target 0 with z &gt; 0, or 1 with z &lt; 0) the true loss is |z|:
    /// plain BCE on σ(z) already reads 100 at z = 20 in float32 and z = 40 in float64 (σ rounded to 1, log 0 clamped);
    /// at ±100 its 100 is right only because the clamp happens to sit there; at ±1000 it reads 100 for a true 1000.
    /// BCE with logits and cross-entropy on [0, z] give |z| throughout.
    /// </summary>
    public static IReadOnlyList<double> ExtremeLogits { get; } = [-1000, -100, -40, -20, 20, 40, 100, 1000];

    /// <summary>Evaluates every loss both ways, tabulates the extreme-logit behaviour and draws the charts.</summary>
    public static LossGalleryReport Run()
    {
        TorchRuntime.EnsureLoaded();
        var figures = new Dictionary<string, Figure>
        {
            ["regression-losses"] = RegressionChart(),
            ["bce-probability"] = ProbabilityChart(),
            ["bce-logits"] = LogitChart(),
            ["cross-entropy"] = CrossEntropyChart(),
        };
        var stability = Stability(ExtremeLogits);
        figures["logit-saturation"] = SaturationChart();
        return new LossGalleryReport(Losses, Checks(), stability) { Figures = figures };
    }

    /// <summary>Binary cross-entropy at each logit, for targets 0 and 1, computed exactly, with logits, and (naively) on σ(z).</summary>
    /// <param name="logits">Logits to tabulate; finite.</param>
    public static IReadOnlyList<LogitStabilityRow> Stability(IReadOnlyList<double> logits)
    {
        Infrastructure.Require.FiniteAndNonEmpty(logits, nameof(logits));
        TorchRuntime.EnsureLoaded();
        var rows = new List<LogitStabilityRow>();
        foreach (var z in logits)
        {
            foreach (var y in new[] { 0.0, 1.0 })
            {
                rows.Add(new LogitStabilityRow(z, y,
                    ClosedFormLoss.LogitTerm(z, y),
                    TorchLoss.BinaryCrossEntropyWithLogits([z], [y]),
                    PlainOnSigmoid(z, y, ScalarType.Float64),
                    PlainOnSigmoid(z, y, ScalarType.Float32),
                    TorchLoss.CrossEntropy(new double[,] { { 0, z } }, [(int)y])));
            }
        }
        return rows;
    }

    /// <summary><c>binary_cross_entropy(sigmoid(z), y)</c> in the given precision: what a model that applies σ itself computes.</summary>
    private static double PlainOnSigmoid(double z, double y, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var p = sigmoid(tensor(new[] { z }, dtype: ScalarType.Float64).to_type(dtype));
        var t = tensor(new[] { y }, dtype: ScalarType.Float64).to_type(dtype);
        return nn.functional.binary_cross_entropy(p, t).to_type(ScalarType.Float64).item<double>();
    }

    private static List<LossCheck> Checks()
    {
        var p = SamplePrediction;
        var y = SampleTarget;
        double[] probabilities = [0.9, 0.2, 0.5, 0.999, 0.01];
        double[] labels = [1, 0, 1, 0, 1];
        double[] logits = [2.0, -1.5, 0.0, 7.0, -4.0];
        var scores = new double[,] { { 2.0, 0.5, -1.0 }, { 0.1, 0.2, 0.3 }, { -3.0, 4.0, 1.0 }, { 10.0, -10.0, 0.0 } };
        int[] classes = [0, 2, 1, 2];
        var logProbabilities = LogSoftmax(scores);
        var checks = new List<LossCheck>();
        foreach (var r in new[] { LossReduction.Mean, LossReduction.Sum })
        {
            checks.Add(new("MSE", r, TorchLoss.MeanSquaredError(p, y, r), ClosedFormLoss.MeanSquaredError(p, y, r)));
            checks.Add(new("L1", r, TorchLoss.L1(p, y, r), ClosedFormLoss.L1(p, y, r)));
            checks.Add(new("Huber (δ = 1)", r, TorchLoss.Huber(p, y, 1, r), ClosedFormLoss.Huber(p, y, 1, r)));
            checks.Add(new("Smooth L1 (β = 2)", r, TorchLoss.SmoothL1(p, y, 2, r), ClosedFormLoss.SmoothL1(p, y, 2, r)));
            checks.Add(new("BCE", r, TorchLoss.BinaryCrossEntropy(probabilities, labels, r), ClosedFormLoss.BinaryCrossEntropy(probabilities, labels, r)));
            checks.Add(new("BCE with logits", r, TorchLoss.BinaryCrossEntropyWithLogits(logits, labels, r), ClosedFormLoss.BinaryCrossEntropyWithLogits(logits, labels, r)));
            checks.Add(new("Cross-entropy", r, TorchLoss.CrossEntropy(scores, classes, r), ClosedFormLoss.CrossEntropy(scores, classes, r)));
            checks.Add(new("NLL", r, TorchLoss.NegativeLogLikelihood(logProbabilities, classes, r), ClosedFormLoss.NegativeLogLikelihood(logProbabilities, classes, r)));
        }
        return checks;
    }

    /// <summary>Row-wise log-softmax in plain C# (the input NLL expects).</summary>
    internal static double[,] LogSoftmax(double[,] z)
    {
        var result = new double[z.GetLength(0), z.GetLength(1)];
        for (var i = 0; i < z.GetLength(0); i++)
        {
            var max = Enumerable.Range(0, z.GetLength(1)).Max(j => z[i, j]);
            var lse = max + Math.Log(Enumerable.Range(0, z.GetLength(1)).Sum(j => Math.Exp(z[i, j] - max)));
            for (var j = 0; j < z.GetLength(1); j++)
                result[i, j] = z[i, j] - lse;
        }
        return result;
    }

    private static double[] Grid(double from, double to, int points) =>
        Enumerable.Range(0, points).Select(i => from + (to - from) * i / (points - 1)).ToArray();

    private static ScatterTrace Curve(string name, double[] x, Func<double, double> loss) => Trace.Line(name, x, x.Select(loss).ToArray());

    private static Figure RegressionChart()
    {
        var x = Grid(-3, 3, 121);
        return new Figure("Regression losses against the prediction ŷ, target y = 0 (TorchSharp)",
                Curve("MSE", x, v => TorchLoss.MeanSquaredError([v], [0])),
                Curve("L1", x, v => TorchLoss.L1([v], [0])),
                Curve("Huber δ = 1", x, v => TorchLoss.Huber([v], [0], 1)),
                Curve("Smooth L1 β = 2", x, v => TorchLoss.SmoothL1([v], [0], 2)))
            .WithAxisTitles("prediction ŷ", "loss");
    }

    private static Figure ProbabilityChart()
    {
        var p = Grid(0.005, 0.995, 100);
        return new Figure("Binary cross-entropy against the predicted probability p (TorchSharp)",
                Curve("target y = 1: −log p", p, v => TorchLoss.BinaryCrossEntropy([v], [1])),
                Curve("target y = 0: −log(1 − p)", p, v => TorchLoss.BinaryCrossEntropy([v], [0])))
            .WithAxisTitles("probability p of class 1", "loss");
    }

    private static Figure LogitChart()
    {
        var z = Grid(-8, 8, 101);
        return new Figure("Binary cross-entropy with logits against the logit z (TorchSharp)",
                Curve("target y = 1: softplus(−z)", z, v => TorchLoss.BinaryCrossEntropyWithLogits([v], [1])),
                Curve("target y = 0: softplus(z)", z, v => TorchLoss.BinaryCrossEntropyWithLogits([v], [0])))
            .WithAxisTitles("logit z", "loss");
    }

    private static Figure CrossEntropyChart()
    {
        var z = Grid(-8, 8, 101);
        return new Figure("Cross-entropy over 3 classes against one logit, the other two at 0 (TorchSharp)",
                Curve("z is the true class's logit", z, v => TorchLoss.CrossEntropy(new double[,] { { v, 0, 0 } }, [0])),
                Curve("z is a wrong class's logit", z, v => TorchLoss.CrossEntropy(new double[,] { { v, 0, 0 } }, [1])))
            .WithAxisTitles("logit z", "loss");
    }

    private static Figure SaturationChart()
    {
        var z = Grid(1, 200, 200);
        return new Figure("Target 0, growing logit z: BCE on σ(z) saturates at 100, BCE with logits stays exact",
                Curve("exact: softplus(z)", z, v => ClosedFormLoss.LogitTerm(v, 0)),
                Curve("binary_cross_entropy_with_logits(z), float64", z, v => TorchLoss.BinaryCrossEntropyWithLogits([v], [0])),
                Curve("binary_cross_entropy(sigmoid(z)), float64", z, v => PlainOnSigmoid(v, 0, ScalarType.Float64)),
                Curve("binary_cross_entropy(sigmoid(z)), float32", z, v => PlainOnSigmoid(v, 0, ScalarType.Float32)))
            .WithAxisTitles("logit z", "loss");
    }
}
