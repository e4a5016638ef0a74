using System.Globalization;
using Studying.DeepLearning.Classification;
using Studying.DeepLearning.GradientDescent;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.ResNet;

namespace Studying.DeepLearning.Cli;

/// <summary>
/// Each chapter's headline numbers for the index page (<c>out/index.html</c>): the ones the README's results tables
/// show, taken from the chapter's report record.
/// </summary>
internal static class ChapterHeadlines
{
    public static IReadOnlyList<HeadlineNumber> Of(GradientDescentReport report)
    {
        List<HeadlineNumber> numbers =
        [
            new("1-1 fitted slope a (exact a* = " + G(report.PerSample.ClosedFormSlope) + ")", G(report.PerSample.FinalSlope, "G15")),
            new("1-1 prediction ŷ(4)", F(report.PerSample.PredictionAtFour, "F4")),
        ];
        numbers.AddRange(report.LearningRates.Select(rate => new HeadlineNumber(
            "learning rate η = " + G(rate.LearningRate),
            Words(rate.Regime.ToString()) + (rate.DivergedAtStep is { } step ? $" (stopped at step {step.ToString(CultureInfo.InvariantCulture)})" : $" (a = {F(rate.FinalSlope, "F3")})"))));
        numbers.Add(new("one-step optimum η = 1/(2m); divergence from η = 1/m", $"{F(report.OptimalLearningRate, "F3")}; {F(report.DivergentLearningRate, "F3")}"));
        numbers.Add(new("1-2 raw house-price features", report.FeatureScaling.RawDivergence is { } d ? $"diverged at step {d.Step.ToString(CultureInfo.InvariantCulture)} (stopped)" : "no divergence"));
        numbers.Add(new("1-2 standardised: coefficients vs exact least squares (relative)", G(report.FeatureScaling.MaxRelativeCoefficientError, "G2")));
        numbers.Add(new("1-3 y = 2x² + x + 3, standardised: w, b", $"[{string.Join(", ", report.Polynomial.StandardisedWeights.Select(w => F(w, "F6")))}], {F(report.Polynomial.StandardisedBias, "F6")}"));
        return numbers;
    }

    public static IReadOnlyList<HeadlineNumber> Of(BasicsCommandReport report)
    {
        var autograd = report.Autograd;
        var honest = autograd.GradientChecks.Where(c => c.Passed).ToList();
        List<HeadlineNumber> numbers = [];
        if (honest.Count > 0)
            numbers.Add(new("gradient check: autograd vs central differences, largest error", G(honest.Max(c => c.MaxAbsoluteError), "G2")));
        numbers.AddRange(autograd.GradientChecks.Where(c => !c.Passed).Select(c => new HeadlineNumber($"gradient check caught: {c.Function} ({c.Gradient})", G(c.MaxAbsoluteError, "G2"))));
        numbers.Add(new("2-2 predict(4) after 10 epochs (without zeroing the gradient)", $"{F(autograd.ZeroedGradients.PredictionAfter, "F4")} ({F(autograd.AccumulatedGradients.PredictionAfter, "F2")})"));
        numbers.Add(new("2-4 hand backprop vs autograd, largest difference", G(autograd.Backprop.MaxDifferenceFromAutograd, "G2")));
        numbers.Add(new("2-4 predict(4), fixed vs the original's w2 bug (target 41)", $"{F(autograd.Quadratic.Fixed.PredictionAtFour, "F2")} vs {F(autograd.Quadratic.Bug.PredictionAtFour, "F2")}"));
        if (report.Losses.Checks.Count > 0)
            numbers.Add(new("2-5 losses: TorchSharp vs closed form", "within " + G(report.Losses.Checks.Max(c => c.Difference), "G2")));
        if (report.Optimizers.ScratchChecks.Count > 0)
            numbers.Add(new("2-5 our optimisers vs TorchSharp's", "within " + G(report.Optimizers.ScratchChecks.Max(c => c.MaxDifference), "G2")));
        return numbers;
    }

    public static IReadOnlyList<HeadlineNumber> Of(ClassificationReport report)
    {
        var logistic = report.Lesson.Logistic.Run;
        List<HeadlineNumber> numbers =
        [
            new("3-1 p(pass | 1 h), p(pass | 7 h), boundary", $"{F(logistic.PassProbabilityAt1Hour, "F3")}, {F(logistic.PassProbabilityAt7Hours, "F5")}, {F(logistic.DecisionBoundary, "F2")} h"),
        ];
        numbers.AddRange(report.Tables.Concat(report.Images).Select(r => new HeadlineNumber(
            $"{r.Dataset}, {r.Model} ({r.Parameters.ToString("N0", CultureInfo.InvariantCulture)} parameters, {r.TrainSamples.ToString("N0", CultureInfo.InvariantCulture)} training samples): test accuracy",
            r.TestAccuracy.ToString("P2", CultureInfo.InvariantCulture))));
        return numbers;
    }

    public static IReadOnlyList<HeadlineNumber> Of(ResNetArchitectureReport report) =>
        [.. report.Rows.Select(row => new HeadlineNumber(
            $"{row.DisplayName} parameters",
            row.Parameters.ToString("N0", CultureInfo.InvariantCulture) + row.MatchesReference switch
            {
                true => " (= reference)",
                false => $" (≠ reference {row.ReferenceParameters!.Value.ToString("N0", CultureInfo.InvariantCulture)})",
                null => string.Empty,
            }))];

    public static IReadOnlyList<HeadlineNumber> Of(DegradationReport report)
    {
        List<HeadlineNumber> numbers =
        [
            new("deeper plain network trains worse (degradation)", Verdict(report.DeeperPlainTrainsWorse)),
            new("deeper residual network trains as well", Verdict(report.DeeperResidualTrainsAsWell)),
        ];
        numbers.AddRange(report.Runs.Select(run => new HeadlineNumber(
            $"{run.DisplayName}: training error / test error",
            $"{F(run.TrainError, "F2")} % / {F(run.TestError, "F2")} %")));
        numbers.AddRange(report.Runs.Select(run => new HeadlineNumber(
            $"{run.DisplayName}: gradient norm, layer 1 ÷ last five (at init)", G(run.FirstToLastGradientRatio, "G3"))));
        return numbers;
    }

    /// <summary>"TooSmall" → "too small".</summary>
    private static string Words(string pascalCase) =>
        string.Concat(pascalCase.Select((c, i) => char.IsUpper(c) ? (i > 0 ? " " : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));

    private static string Verdict(bool? value) => value switch { true => "yes", false => "no", null => "—" };

    private static string G(double value, string format = "G6") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
