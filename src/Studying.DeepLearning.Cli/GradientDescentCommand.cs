using System.Globalization;
using Spectre.Console;
using Studying.DeepLearning.GradientDescent;

namespace Studying.DeepLearning.Cli;

/// <summary><c>studydl gd</c>: chapter 1.</summary>
internal sealed class GradientDescentCommand : ChapterCommand<GradientDescentReport>
{
    protected override string Chapter => "gd";

    protected override ChapterOutput.ChapterPage Page => new(Chapter, 1, "Chapter 1 — Gradient descent", "studydl gd: y = a·x by hand, learning rates, feature scaling, polynomial regression.");

    protected override IReadOnlyList<Plotting.HeadlineNumber> Headlines(GradientDescentReport report) => ChapterHeadlines.Of(report);

    protected override IReadOnlyCollection<string> ReadmeFigures => ["GD"];

    protected override GradientDescentReport RunChapter(IProgress<string> progress, CancellationToken cancellationToken) =>
        GradientDescentChapter.Run(progress, cancellationToken);

    protected override IReadOnlyDictionary<string, Plotting.Figure> FiguresOf(GradientDescentReport report) => report.Figures;

    protected override void Print(GradientDescentReport report)
    {
        static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
        AnsiConsole.Write(new Rule("[bold]Chapter 1 — gradient descent[/]").LeftJustified());

        var fits = new Table().AddColumns("fit of y = a·x on x=[[1,2,3]], y=[[2,4,6]]", "η", "steps", "a", "loss", "exact a*", "ŷ(4)");
        foreach (var fit in new[] { report.PerSample, report.FullBatch })
            fits.AddRow(fit.Mode.ToString(), F(fit.LearningRate), fit.Steps.ToString(CultureInfo.InvariantCulture), F(fit.FinalSlope), F(fit.FinalLoss), F(fit.ClosedFormSlope), F(fit.PredictionAtFour));
        AnsiConsole.Write(fits);

        var rates = new Table().AddColumns("learning rate η", "regime", "final a", "diverged at step");
        foreach (var rate in report.LearningRates)
            rates.AddRow(F(rate.LearningRate), rate.Regime.ToString(), F(rate.FinalSlope), rate.DivergedAtStep?.ToString(CultureInfo.InvariantCulture) ?? "—");
        AnsiConsole.Write(rates);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"One full-batch step lands on a* at η = {F(report.OptimalLearningRate)}; descent diverges from η = {F(report.DivergentLearningRate)}.");

        var scaling = report.FeatureScaling;
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[bold]House prices[/]: raw features — {scaling.RawDivergence?.Reason ?? "no divergence"}");
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  standardised ({scaling.StandardisedEpochs} epochs, η = {F(scaling.StandardisedLearningRate)}): coefficients within {scaling.MaxRelativeCoefficientError:G2} (relative) of exact least squares; train MSE {F(scaling.TrainMse)}, test MSE {F(scaling.TestMse)}");

        var poly = report.Polynomial;
        var table = new Table().AddColumns("y = 2x² + x + 3", "w(x²)", "w(x)", "b");
        table.AddRow($"SGD on raw [[x², x]], {poly.Epochs} epochs", F(poly.RawFeatureWeights[0]), F(poly.RawFeatureWeights[1]), F(poly.RawFeatureBias));
        table.AddRow($"SGD on standardised, {poly.Epochs} epochs", F(poly.StandardisedWeights[0]), F(poly.StandardisedWeights[1]), F(poly.StandardisedBias));
        table.AddRow("exact least squares", F(poly.ExactWeights[0]), F(poly.ExactWeights[1]), F(poly.ExactBias));
        AnsiConsole.Write(table);
    }
}
