using System.Globalization;
using Spectre.Console;
using Studying.DeepLearning.Benchmarks;
using Studying.DeepLearning.TorchBasics;

namespace Studying.DeepLearning.Cli;

/// <summary><c>studydl basics</c>: chapter 2.</summary>
internal sealed class TorchBasicsCommand : ChapterCommand<BasicsCommandReport>
{
    protected override string Chapter => "basics";

    protected override ChapterOutput.ChapterPage Page => new(Chapter, 2, "Chapter 2 — TorchSharp basics", "studydl basics: autograd, backprop, modules, losses, optimisers, data loaders.");

    protected override IReadOnlyList<Plotting.HeadlineNumber> Headlines(BasicsCommandReport report) => ChapterHeadlines.Of(report);

    protected override BasicsCommandReport RunChapter(IProgress<string> progress, CancellationToken cancellationToken)
    {
        var chapter = TorchBasicsChapter.Run(progress, cancellationToken);
        var dataLoading = DataLoadingSection.Run(progress, cancellationToken);
        return new BasicsCommandReport(chapter.Autograd, chapter.Losses, chapter.Optimizers, dataLoading)
        {
            Figures = chapter.Figures.Concat(dataLoading.Figures).ToDictionary(),
        };
    }

    protected override IReadOnlyDictionary<string, Plotting.Figure> FiguresOf(BasicsCommandReport report) => report.Figures;

    protected override void Print(BasicsCommandReport report)
    {
        static string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
        AnsiConsole.Write(new Rule("[bold]Chapter 2 — TorchSharp basics[/]").LeftJustified());

        var autograd = report.Autograd;
        var checks = new Table().AddColumns("gradient check", "against", "max error", "passed");
        foreach (var check in autograd.GradientChecks)
            checks.AddRow(Markup.Escape(check.Function), Markup.Escape(check.Gradient), F(check.MaxAbsoluteError), check.Passed ? "yes" : "[red]no[/]");
        AnsiConsole.Write(checks);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"2-2 y = 2x: predict(4) {F(autograd.ZeroedGradients.PredictionBefore)} → {F(autograd.ZeroedGradients.PredictionAfter)} with zeroed gradients, {F(autograd.AccumulatedGradients.PredictionAfter)} when they accumulate");
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"2-3 module: predict(4) = {F(autograd.Modules.CustomModule.PredictionAtFour)} (custom), {F(autograd.Modules.Sequential.PredictionAtFour)} (Sequential); 2-4 hand backprop vs autograd: {F(autograd.Backprop.MaxDifferenceFromAutograd)}");
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"2-4 quadratic: predict(4) = {F(autograd.Quadratic.Fixed.PredictionAtFour)} with each parameter's own gradient, {F(autograd.Quadratic.Bug.PredictionAtFour)} with the original's w2 bug (target 41)");

        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"Losses: {report.Losses.Checks.Count} checks, TorchSharp vs closed form within {F(report.Losses.Checks.Max(c => c.Difference))}");

        var race = new Table().AddColumns("function", "optimiser", $"steps to f − f* < {F(report.Optimizers.Tolerance)}", "final gap");
        foreach (var entry in report.Optimizers.Results)
            race.AddRow(Markup.Escape(entry.Function), Markup.Escape(entry.Optimizer), Markup.Escape(entry.Outcome), F(entry.FinalGap));
        AnsiConsole.Write(race);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"From-scratch optimisers vs TorchSharp: largest difference {F(report.Optimizers.ScratchChecks.Max(c => c.MaxDifference))}");

        foreach (var scenario in report.DataLoading.Loaders.Scenarios)
        {
            var table = new Table().AddColumns($"loader ({Markup.Escape(scenario.Name)})", "workers", "epoch ÷ training");
            foreach (var row in scenario.Rows)
                table.AddRow(row.Loader.ToString(), row.Workers.ToString(CultureInfo.InvariantCulture), F(row.EpochOverTraining));
            AnsiConsole.Write(table);
        }
        var memory = report.DataLoading.Memory;
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"Memory: {F(memory.Scoped.RssGrowthPerStepMegabytes)} MiB/step with a dispose scope per step, {F(memory.Unscoped.RssGrowthPerStepMegabytes)} MiB/step without");
    }
}

/// <summary>What <c>studydl basics</c> reports: chapter 2's lessons and notebook 2-6's loader and memory measurements.</summary>
internal sealed record BasicsCommandReport(AutogradReport Autograd, LossGalleryReport Losses, OptimizerRaceReport Optimizers, DataLoadingReport DataLoading)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, Plotting.Figure> Figures { get; init; } = new Dictionary<string, Plotting.Figure>();
}
