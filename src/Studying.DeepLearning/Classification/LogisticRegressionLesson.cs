using System.Globalization;
using System.Text.Json.Serialization;
using Studying.DeepLearning.GradientDescent;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Classification;

/// <summary>Notebook 3-1(a) checked two ways against plain C#.</summary>
/// <param name="Run">The TorchSharp run as the original (no penalty).</param>
/// <param name="HandStepsMaxDifference">max |TorchSharp − the same number of gradient steps in plain C#| over w and b, from the same start.</param>
/// <param name="FinalGradientNorm">|∇J| at the trained (w, b): not ≈ 0, because separable data have no finite minimiser — the run is still descending.</param>
/// <param name="Regularised">A run with weight decay λ on both parameters, long enough to converge.</param>
/// <param name="Newton">The exact minimiser of the penalised loss (Newton's method in doubles).</param>
/// <param name="RegularisedMaxDifference">max |TorchSharp − Newton| over w and b.</param>
public sealed record LogisticRegressionCheck(LogisticRegressionRun Run, double HandStepsMaxDifference, double FinalGradientNorm,
    LogisticRegressionRun Regularised, NewtonSolution Newton, double RegularisedMaxDifference);

/// <summary>Everything notebook 3-1 computes; <see cref="Figures"/> holds its charts.</summary>
/// <param name="Softmax">TorchSharp's softmax/log-softmax against the stable plain C# versions, including logits ±1000.</param>
/// <param name="Logistic">3-1(a): logistic regression with BCE-with-logits and SGD.</param>
/// <param name="Relu">3-1(b): MLP 1-5-5-2 with ReLU, cross-entropy, Adam.</param>
/// <param name="LeakyRelu">3-1(c): the same with LeakyReLU.</param>
public sealed record LogisticRegressionReport(IReadOnlyList<SoftmaxCheck> Softmax, LogisticRegressionCheck Logistic, HoursMlpRun Relu, HoursMlpRun LeakyRelu)
{
    /// <summary>The lesson's charts by file-friendly name (<c>sigmoid_plot</c> is the README's picture).</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, Figure> Figures { get; init; } = new Dictionary<string, Figure>();
}

/// <summary>Runs notebook 3-1 (sigmoid, softmax, logistic regression, the small MLPs) end to end, for the CLI and the notebook.</summary>
public static class LogisticRegressionLesson
{
    /// <summary>The weight decay of the regularised check (small enough to keep the boundary near 2.5 h, large enough for a finite minimiser).</summary>
    public const double RegularisedL2 = 0.01;

    /// <summary>Runs every experiment (a few seconds on a CPU) and draws the charts.</summary>
    /// <param name="progress">Receives a line per finished experiment, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between experiments and updates.</param>
    public static LogisticRegressionReport Run(IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        TorchRuntime.EnsureLoaded();
        var inv = CultureInfo.InvariantCulture;
        var figures = new Dictionary<string, Figure>
        {
            ["sigmoid_plot"] = ActivationCharts.SigmoidWithDerivative(),
            ["softmax-sweep"] = ActivationCharts.SoftmaxAsOneLogitVaries(),
        };

        var softmax = SoftmaxCheck.LessonLogits.Select(SoftmaxCheck.Compare).ToArray();
        progress?.Report(string.Create(inv, $"softmax vs plain C#: max difference {softmax.Max(c => Math.Max(c.MaxSoftmaxDifference, c.MaxLogSoftmaxDifference)):G2}, all finite: {softmax.All(c => c.AllFinite)}"));

        var (x, y) = (LogisticRegressionTrainer.Hours, LogisticRegressionTrainer.Passed);
        var logistic = CheckLogistic(x, y, cancellationToken);
        var run = logistic.Run;
        progress?.Report(string.Create(inv, $"3-1(a) logistic regression: loss {run.FinalLoss:F4}, p(pass | 1 h) = {run.PassProbabilityAt1Hour:F4}, p(pass | 7 h) = {run.PassProbabilityAt7Hours:F6}, boundary {run.DecisionBoundary:F3} h; hand steps agree to {logistic.HandStepsMaxDifference:G2}; with λ = {RegularisedL2} Newton agrees to {logistic.RegularisedMaxDifference:G2}"));

        var relu = HoursMlp.Fit(x, y, new HoursMlpOptions(MlpActivation.ReLU), cancellationToken);
        var leaky = HoursMlp.Fit(x, y, new HoursMlpOptions(MlpActivation.LeakyReLU), cancellationToken);
        progress?.Report(string.Create(inv, $"3-1(b, c) MLP 1-5-5-2: loss {relu.FinalLoss:F4} (ReLU), {leaky.FinalLoss:F4} (LeakyReLU)"));

        figures["pass-probability"] = ActivationCharts.PassProbability(x, y, run, relu, leaky);
        figures["hours-loss"] = LossCharts.LossByStep("3-1: training loss (BCE with logits for (a), cross-entropy for (b, c))",
            ("(a) logistic regression, SGD", run.Losses), ("(b) MLP ReLU, Adam", relu.Losses), ("(c) MLP LeakyReLU, Adam", leaky.Losses));
        return new LogisticRegressionReport(softmax, logistic, relu, leaky) { Figures = figures };
    }

    private static LogisticRegressionCheck CheckLogistic(IReadOnlyList<double> x, IReadOnlyList<double> y, CancellationToken cancellationToken)
    {
        var run = LogisticRegressionTrainer.Fit(x, y, new LogisticRegressionOptions(), cancellationToken);
        var hand = LogisticRegressionReference.GradientDescent(x, y, run.InitialWeight, run.InitialBias, run.Options.LearningRate, run.Options.Epochs);
        var gradient = LogisticRegressionReference.Gradient(x, y, run.Weight, run.Bias);

        var regularised = LogisticRegressionTrainer.Fit(x, y, new LogisticRegressionOptions(LearningRate: 1, Epochs: 3000, L2: RegularisedL2), cancellationToken);
        var newton = LogisticRegressionReference.Newton(x, y, RegularisedL2);
        return new LogisticRegressionCheck(run,
            Math.Max(Math.Abs(hand.Weight - run.Weight), Math.Abs(hand.Bias - run.Bias)),
            Math.Sqrt(gradient.Weight * gradient.Weight + gradient.Bias * gradient.Bias),
            regularised, newton,
            Math.Max(Math.Abs(newton.Weight - regularised.Weight), Math.Abs(newton.Bias - regularised.Bias)));
    }
}
