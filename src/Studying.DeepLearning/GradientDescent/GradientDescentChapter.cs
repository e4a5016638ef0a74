using System.Text.Json.Serialization;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.GradientDescent;

/// <summary>A fit of ŷ = a·x summarised: where descent ended and where it should have.</summary>
/// <param name="Mode">Per-sample or full-batch updates.</param>
/// <param name="LearningRate">The step size.</param>
/// <param name="Epochs">Passes over the data.</param>
/// <param name="Steps">Updates made.</param>
/// <param name="FinalSlope">The slope reached.</param>
/// <param name="FinalLoss">The loss reached.</param>
/// <param name="ClosedFormSlope">The exact minimiser Σxy / Σx².</param>
/// <param name="PredictionAtFour">The fitted model's prediction for x = 4.</param>
public sealed record SlopeFitSummary(UpdateMode Mode, double LearningRate, int Epochs, int Steps, double FinalSlope, double FinalLoss, double ClosedFormSlope, double PredictionAtFour);

/// <summary>One learning rate's outcome.</summary>
/// <param name="LearningRate">The step size η.</param>
/// <param name="Regime">Too small, good, oscillating or divergent.</param>
/// <param name="FinalSlope">The last finite slope.</param>
/// <param name="DivergedAtStep">The step at which the run was stopped, if it diverged.</param>
public sealed record LearningRateSummary(double LearningRate, LearningRateRegime Regime, double FinalSlope, int? DivergedAtStep);

/// <summary>Multi-feature regression on raw and on standardised features, against the exact answer.</summary>
/// <param name="RawDivergence">How training on raw features failed (or <see langword="null"/> if it did not).</param>
/// <param name="StandardisedEpochs">Epochs of the run on standardised features.</param>
/// <param name="StandardisedLearningRate">Its learning rate.</param>
/// <param name="FittedWeights">Its weights, converted back to original units.</param>
/// <param name="FittedBias">Its bias, in original units.</param>
/// <param name="ExactWeights">The least-squares weights on the raw training features.</param>
/// <param name="ExactBias">The least-squares bias.</param>
/// <param name="MaxRelativeCoefficientError">max |fitted − exact| / max(|exact|, 1) over all coefficients.</param>
/// <param name="TrainMse">Training MSE of the fitted model.</param>
/// <param name="TestMse">MSE of the fitted model on the held-out test rows.</param>
public sealed record FeatureScalingSummary(
    Divergence? RawDivergence, int StandardisedEpochs, double StandardisedLearningRate,
    IReadOnlyList<double> FittedWeights, double FittedBias, IReadOnlyList<double> ExactWeights, double ExactBias,
    double MaxRelativeCoefficientError, double TrainMse, double TestMse);

/// <summary>Polynomial regression y = 2x² + x + 3 with nn.Linear(2, 1) on [x², x].</summary>
/// <param name="Epochs">Full-batch SGD epochs.</param>
/// <param name="LearningRate">SGD learning rate.</param>
/// <param name="RawFeatureWeights">Weights after training on raw [x², x] (slow: the two columns are highly correlated).</param>
/// <param name="RawFeatureBias">Bias after training on raw features.</param>
/// <param name="StandardisedWeights">Weights after training on standardised features, in original units.</param>
/// <param name="StandardisedBias">Bias of that run, in original units.</param>
/// <param name="ExactWeights">The least-squares weights (the true [2, 1] up to rounding).</param>
/// <param name="ExactBias">The least-squares bias (the true 3 up to rounding).</param>
public sealed record PolynomialSummary(int Epochs, double LearningRate, IReadOnlyList<double> RawFeatureWeights, double RawFeatureBias,
    IReadOnlyList<double> StandardisedWeights, double StandardisedBias, IReadOnlyList<double> ExactWeights, double ExactBias);

/// <summary>Everything chapter 1 computes, as plain data; <see cref="Figures"/> holds its charts.</summary>
/// <param name="PerSample">Notebook 1-1: x = [1, 2, 3], y = [2, 4, 6], per-sample updates.</param>
/// <param name="FullBatch">The same data with full-batch updates.</param>
/// <param name="OptimalLearningRate">1/(2·mean x²): one full-batch step lands on the minimum.</param>
/// <param name="DivergentLearningRate">1/mean x²: from here on, full-batch descent diverges.</param>
/// <param name="LearningRates">The learning-rate study.</param>
/// <param name="FeatureScaling">Notebook 1-2: house prices.</param>
/// <param name="Polynomial">Notebook 1-3: a quadratic.</param>
public sealed record GradientDescentReport(
    SlopeFitSummary PerSample, SlopeFitSummary FullBatch, double OptimalLearningRate, double DivergentLearningRate,
    IReadOnlyList<LearningRateSummary> LearningRates, FeatureScalingSummary FeatureScaling, PolynomialSummary Polynomial)
{
    /// <summary>The chapter's charts by file-friendly name (GD is the descent drawn on the loss curve).</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, Figure> Figures { get; init; } = new Dictionary<string, Figure>();
}

/// <summary>Runs chapter 1 end to end, as the CLI's <c>gd</c> command and the notebooks do.</summary>
public static class GradientDescentChapter
{
    /// <summary>The inputs of notebook 1-1.</summary>
    public static IReadOnlyList<double> ToyInputs { get; } = [1, 2, 3];

    /// <summary>The targets of notebook 1-1 (y = 2x).</summary>
    public static IReadOnlyList<double> ToyTargets { get; } = [2, 4, 6];

    /// <summary>The learning rates compared by the study: too small, good, oscillating, divergent.</summary>
    public static IReadOnlyList<double> StudiedLearningRates { get; } = [0.01, 0.05, 0.18, 0.25];

    /// <summary>Runs every experiment of the chapter and draws its charts.</summary>
    /// <param name="progress">Receives a line per finished experiment, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between experiments and training steps.</param>
    public static GradientDescentReport Run(IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var x = ToyInputs;
        var y = ToyTargets;
        var best = SlopeLoss.ClosedFormSlope(x, y);
        var figures = new Dictionary<string, Figure>();

        var perSample = SlopeDescent.Run(x, y, new DescentOptions(0.01, 100, 0, UpdateMode.PerSample), cancellationToken);
        var fullBatch = SlopeDescent.Run(x, y, new DescentOptions(0.05, 10, 0, UpdateMode.FullBatch), cancellationToken);
        figures["GD"] = GradientDescentCharts.DescentOnLossCurve(fullBatch, x, y);
        figures["loss-by-step"] = LossCharts.LossByStep("Loss against step on y = 2x",
            ("per-sample, η = 0.01", perSample.Path.Select(s => s.Loss).ToArray()),
            ("full batch, η = 0.05", fullBatch.Path.Select(s => s.Loss).ToArray()));
        progress?.Report($"1-1 fitted a = {perSample.FinalSlope:G6} (exact {best}) in {perSample.Path.Count - 1} per-sample steps");

        var study = LearningRateStudy.Compare(x, y, StudiedLearningRates, epochs: 30);
        figures["learning-rates"] = GradientDescentCharts.LearningRates(study, best);
        progress?.Report("learning-rate study: " + string.Join(", ", study.Select(r => $"η={r.LearningRate} {r.Regime}")));

        cancellationToken.ThrowIfCancellationRequested();
        var scaling = RunFeatureScaling(figures, cancellationToken);
        progress?.Report($"1-2 house prices: raw features {(scaling.RawDivergence is null ? "did not diverge" : "diverged")}; standardised fit within {scaling.MaxRelativeCoefficientError:G2} of least squares");

        cancellationToken.ThrowIfCancellationRequested();
        var polynomial = RunPolynomial(figures, cancellationToken);
        progress?.Report($"1-3 quadratic: w = [{string.Join(", ", polynomial.RawFeatureWeights.Select(w => w.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}], b = {polynomial.RawFeatureBias:F3} after {polynomial.Epochs} epochs");

        return new GradientDescentReport(
            Summarise(perSample, best), Summarise(fullBatch, best),
            LearningRateStudy.OptimalRate(x), LearningRateStudy.DivergentRate(x),
            study.Select(r => new LearningRateSummary(r.LearningRate, r.Regime, r.Run.FinalSlope, r.Run.Divergence?.Step)).ToArray(),
            scaling, polynomial)
        { Figures = figures };
    }

    private static SlopeFitSummary Summarise(DescentRun run, double best) =>
        new(run.Options.Mode, run.Options.LearningRate, run.Options.Epochs, run.Path.Count - 1, run.FinalSlope, run.FinalLoss, best, 4 * run.FinalSlope);

    private static FeatureScalingSummary RunFeatureScaling(Dictionary<string, Figure> figures, CancellationToken cancellationToken)
    {
        var (train, test) = RegressionDataSets.HousePrices(500, seed: 1).Split(0.2, seed: 1);
        var raw = LinearRegressionTrainer.Fit(train, new LinearTrainingOptions(0.01, 100), cancellationToken: cancellationToken);

        var scaler = Standardizer.Fit(train.Features);
        var scaledTrain = new RegressionData(train.FeatureNames, scaler.Transform(train.Features), train.Targets, train.TargetName);
        const int epochs = 500;
        const double rate = 0.1;
        var scaled = LinearRegressionTrainer.Fit(scaledTrain, new LinearTrainingOptions(rate, epochs), cancellationToken: cancellationToken);
        var fitted = scaler.ToOriginalUnits(scaled.Model);
        var exact = LeastSquares.Fit(train.Features, train.Targets);

        var coefficientsFitted = fitted.Weights.Append(fitted.Bias).ToArray();
        var coefficientsExact = exact.Weights.Append(exact.Bias).ToArray();
        var error = coefficientsFitted.Zip(coefficientsExact, (f, e) => Math.Abs(f - e) / Math.Max(Math.Abs(e), 1)).Max();

        figures["house-prices-loss"] = LossCharts.LossByStep("House prices: raw features diverge, standardised features converge",
            ("raw features, η = 0.01", raw.Losses), ($"standardised, η = {rate}", scaled.Losses));
        figures["house-prices-coefficients"] = GradientDescentCharts.CompareCoefficients(
            "House prices: gradient descent (standardised, mapped back) vs exact least squares", train.FeatureNames, fitted, exact);

        return new FeatureScalingSummary(raw.Divergence, epochs, rate, fitted.Weights, fitted.Bias, exact.Weights, exact.Bias, error,
            fitted.MeanSquaredError(train.Features, train.Targets), fitted.MeanSquaredError(test.Features, test.Targets));
    }

    private static PolynomialSummary RunPolynomial(Dictionary<string, Figure> figures, CancellationToken cancellationToken)
    {
        var data = RegressionDataSets.Quadratic(1000, seed: 1);
        const int epochs = 5000;
        const double rate = 0.1;
        var raw = LinearRegressionTrainer.Fit(data, new LinearTrainingOptions(rate, epochs), cancellationToken: cancellationToken);
        var scaler = Standardizer.Fit(data.Features);
        var scaledData = new RegressionData(data.FeatureNames, scaler.Transform(data.Features), data.Targets, data.TargetName);
        var scaled = LinearRegressionTrainer.Fit(scaledData, new LinearTrainingOptions(rate, epochs), cancellationToken: cancellationToken);
        var standardised = scaler.ToOriginalUnits(scaled.Model);
        var exact = LeastSquares.Fit(data.Features, data.Targets);
        figures["quadratic-fit"] = GradientDescentCharts.QuadraticFit(data, raw.Model, exact);
        figures["quadratic-loss"] = LossCharts.LossByStep("y = 2x² + x + 3: training loss",
            ("raw [x², x]", raw.Losses), ("standardised [x², x]", scaled.Losses));
        return new PolynomialSummary(epochs, rate, raw.Model.Weights, raw.Model.Bias, standardised.Weights, standardised.Bias, exact.Weights, exact.Bias);
    }
}
