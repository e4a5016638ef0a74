using System.Globalization;
using System.Text.Json.Serialization;
using Studying.DeepLearning.GradientDescent;
using Studying.DeepLearning.Plotting;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>One gradient check of the lesson.</summary>
/// <param name="Function">What was differentiated.</param>
/// <param name="Gradient">Which gradient was checked (autograd, or a hand-written formula).</param>
/// <param name="MaxAbsoluteError">Largest |gradient − finite difference| over all inputs.</param>
/// <param name="Passed">Whether it passed the tolerance.</param>
public sealed record GradientCheckSummary(string Function, string Gradient, double MaxAbsoluteError, bool Passed);

/// <summary>Notebook 2-3's two models trained from the same start.</summary>
/// <param name="ParameterCount">Trainable values in the model (2).</param>
/// <param name="CustomModule">The run of <see cref="LinearRegressionModule"/>.</param>
/// <param name="Sequential">The run of the <c>nn.Sequential</c> model, started from the same weights.</param>
public sealed record ModuleComparison(long ParameterCount, ModuleTrainingRun CustomModule, ModuleTrainingRun Sequential);

/// <summary>Notebook 2-4(a): a two-layer network's backward pass by hand against autograd.</summary>
/// <param name="Activation">The hidden nonlinearity.</param>
/// <param name="Hand">The pass by hand: every node's value and gradient (the graph table).</param>
/// <param name="MaxDifferenceFromAutograd">Largest |hand − autograd| over all values and gradients.</param>
public sealed record BackpropComparison(HiddenActivation Activation, BackpropPass Hand, double MaxDifferenceFromAutograd);

/// <summary>Notebook 2-4(b): the quadratic model with the fixed and the buggy update.</summary>
/// <param name="AsOriginal">Fixed update, the original's 10 epochs.</param>
/// <param name="BugAsOriginal">The original's buggy update, 10 epochs.</param>
/// <param name="Fixed">Fixed update, run to convergence.</param>
/// <param name="Bug">Buggy update, same length.</param>
public sealed record QuadraticComparison(QuadraticTrainingRun AsOriginal, QuadraticTrainingRun BugAsOriginal, QuadraticTrainingRun Fixed, QuadraticTrainingRun Bug);

/// <summary>Everything the autograd lesson (notebooks 2-2 to 2-4) computes; <see cref="Figures"/> holds its charts.</summary>
/// <param name="GradientChecks">Autograd and hand-written gradients against finite differences.</param>
/// <param name="ZeroedGradients">2-2 as the original: w.grad zeroed after every update.</param>
/// <param name="AccumulatedGradients">2-2 forgetting to zero w.grad.</param>
/// <param name="Modules">2-3: custom module and Sequential.</param>
/// <param name="Backprop">2-4(a): backpropagation by hand.</param>
/// <param name="Quadratic">2-4(b): the quadratic model, fixed and as the original.</param>
public sealed record AutogradReport(IReadOnlyList<GradientCheckSummary> GradientChecks, ManualTrainingRun ZeroedGradients, ManualTrainingRun AccumulatedGradients,
    ModuleComparison Modules, BackpropComparison Backprop, QuadraticComparison Quadratic)
{
    /// <summary>The lesson's charts by file-friendly name.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, Figure> Figures { get; init; } = new Dictionary<string, Figure>();
}

/// <summary>Runs the autograd lesson (notebooks 2-2, 2-3, 2-4) end to end, for the CLI and the notebooks.</summary>
public static class AutogradLesson
{
    /// <summary>Epochs of the long quadratic runs (enough for the fixed update to reach w1 = 1, w2 = 2, b = 5 to 3 decimals).</summary>
    public const int QuadraticConvergenceEpochs = 1000;

    /// <summary>Runs every experiment and draws its charts (a second or two on a CPU).</summary>
    /// <param name="progress">Receives a line per finished experiment, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between experiments and updates.</param>
    public static AutogradReport Run(IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        TorchRuntime.EnsureLoaded();
        var figures = new Dictionary<string, Figure>();
        var inv = CultureInfo.InvariantCulture;

        var checks = GradientChecks(cancellationToken);
        progress?.Report("gradient checks: " + string.Join("; ", checks.Select(c => $"{c.Function} ({c.Gradient}) {(c.Passed ? "passed" : "FAILED")}, max error {c.MaxAbsoluteError:G2}")));

        var (x, y) = (ManualAutogradTraining.ToyInputs, ManualAutogradTraining.ToyTargets);
        var zeroed = ManualAutogradTraining.Train(x, y, new ManualTrainingOptions(), cancellationToken);
        var accumulated = ManualAutogradTraining.Train(x, y, new ManualTrainingOptions(ZeroGradients: false), cancellationToken);
        (figures["zero-grad-weights"], figures["zero-grad-gradients"]) = AutogradCharts.ZeroGrad(zeroed, accumulated);
        progress?.Report(string.Create(inv, $"2-2 predict(4): {zeroed.PredictionBefore} → {zeroed.PredictionAfter:F4} zeroing w.grad; {accumulated.PredictionAfter:F4} without zeroing"));

        var modules = Modules(x, y, cancellationToken);
        figures["module-loss"] = LossCharts.LossByStep("2-3: loss of the custom module and nn.Sequential (same start)",
            ("custom nn.Module", modules.CustomModule.Losses), ("nn.Sequential", modules.Sequential.Losses));
        progress?.Report(string.Create(inv, $"2-3 predict(4) = {modules.CustomModule.PredictionAtFour:F4} (custom module), {modules.Sequential.PredictionAtFour:F4} (Sequential)"));

        var backprop = Backprop();
        figures["backprop-gradients"] = AutogradCharts.GradientNorms(backprop.Hand);
        progress?.Report($"2-4 backprop by hand vs autograd: max difference {backprop.MaxDifferenceFromAutograd:G2}");

        var quadratic = Quadratic(cancellationToken);
        figures["quadratic-loss"] = AutogradCharts.QuadraticLoss(("fixed update", quadratic.Fixed), ("original's bug (w2 = w1 − …)", quadratic.Bug));
        progress?.Report(string.Create(inv, $"2-4 quadratic, predict(4) after 10 epochs: {quadratic.AsOriginal.PredictionAtFour:F3} fixed, {quadratic.BugAsOriginal.PredictionAtFour:F3} with the bug; after {QuadraticConvergenceEpochs} epochs: fixed w = ({quadratic.Fixed.Final.W1:F3}, {quadratic.Fixed.Final.W2:F3}, {quadratic.Fixed.Final.Bias:F3}), predict(4) = {quadratic.Fixed.PredictionAtFour:F3}; bug ({quadratic.Bug.Final.W1:F3}, {quadratic.Bug.Final.W2:F3}, {quadratic.Bug.Final.Bias:F3}), loss stuck at {quadratic.Bug.Final.Loss:G3}"));

        return new AutogradReport(checks, zeroed, accumulated, modules, backprop, quadratic) { Figures = figures };
    }

    private static GradientCheckSummary[] GradientChecks(CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(0);
        var v = randn(5, dtype: ScalarType.Float64);
        var a = randn(3, 4, dtype: ScalarType.Float64);
        var b = randn(4, 2, dtype: ScalarType.Float64);
        GradientCheckSummary Summary(string function, string gradient, GradientCheckResult r) =>
            new(function, gradient, r.Inputs.Max(i => i.MaxAbsoluteError), r.Passed);
        return
        [
            Summary("sum(x²)", "autograd", GradientCheck.Check(t => t[0].pow(2).sum(), [v], cancellationToken: cancellationToken)),
            Summary("sum(sin x)", "autograd", GradientCheck.Check(t => t[0].sin().sum(), [v], cancellationToken: cancellationToken)),
            Summary("sum(tanh(A·B))", "autograd", GradientCheck.Check(t => t[0].matmul(t[1]).tanh().sum(), [a, b], cancellationToken: cancellationToken)),
            Summary("sum(x²)", "hand-written 2x", GradientCheck.CheckAgainst(t => t[0].pow(2).sum(), t => [2 * t[0]], [v], cancellationToken: cancellationToken)),
            Summary("sum(x²)", "wrong hand-written x", GradientCheck.CheckAgainst(t => t[0].pow(2).sum(), t => [t[0].clone()], [v], cancellationToken: cancellationToken)),
        ];
    }

    private static ModuleComparison Modules(IReadOnlyList<double> x, IReadOnlyList<double> y, CancellationToken cancellationToken)
    {
        random.manual_seed(1);
        using var custom = new LinearRegressionModule();
        using var sequential = ModuleTraining.CreateSequential();
        ModuleTraining.CopyParameters(custom, sequential);
        var options = new ModuleTrainingOptions();
        var customRun = ModuleTraining.Train(custom, x, y, options, cancellationToken: cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var sequentialRun = ModuleTraining.Train(sequential, x, y, options, cancellationToken: cancellationToken);
        return new ModuleComparison(ModuleTraining.CountParameters(custom), customRun, sequentialRun);
    }

    private static BackpropComparison Backprop()
    {
        var network = TwoLayerNetwork.Random(inputs: 2, hidden: 3, HiddenActivation.Sigmoid, seed: 2);
        double[][] x = [[0.5, -1.0], [1.5, 2.0], [-0.3, 0.8], [2.0, -0.5]];
        double[] y = [1.0, -0.5, 0.3, 2.0];
        var hand = HandBackprop.Run(network, x, y);
        var autograd = HandBackprop.RunWithAutograd(network, x, y);
        return new BackpropComparison(network.Activation, hand, HandBackprop.MaxDifference(hand, autograd));
    }

    private static QuadraticComparison Quadratic(CancellationToken cancellationToken)
    {
        var (x, y) = (QuadraticModelTraining.ToyInputs, QuadraticModelTraining.ToyTargets);
        QuadraticTrainingRun Train(int epochs, QuadraticUpdateRule rule) =>
            QuadraticModelTraining.Train(x, y, new QuadraticTrainingOptions(Epochs: epochs, Rule: rule), cancellationToken);
        return new QuadraticComparison(Train(10, QuadraticUpdateRule.Correct), Train(10, QuadraticUpdateRule.OriginalBug),
            Train(QuadraticConvergenceEpochs, QuadraticUpdateRule.Correct), Train(QuadraticConvergenceEpochs, QuadraticUpdateRule.OriginalBug));
    }
}
