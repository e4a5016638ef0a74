using System.Globalization;
using Spectre.Console;
using Studying.DeepLearning.Classification;

namespace Studying.DeepLearning.Cli;

/// <summary><c>studydl classify</c>: chapter 3, quickly (full training of one model is <c>studydl train</c>).</summary>
internal sealed class ClassificationCommand : ChapterCommand<ClassificationReport>
{
    protected override string Chapter => "classify";

    protected override ChapterOutput.ChapterPage Page => new(Chapter, 3, "Chapter 3 — Classification", "studydl classify: the quick run (Fashion-MNIST models for 2 epochs on 6,000 images; full training is studydl train).");

    protected override IReadOnlyList<Plotting.HeadlineNumber> Headlines(ClassificationReport report) => ChapterHeadlines.Of(report);

    protected override IReadOnlyCollection<string> ReadmeFigures => ["sigmoid_plot", "fashion-mnist-samples"];

    protected override ClassificationReport RunChapter(IProgress<string> progress, CancellationToken cancellationToken) =>
        ClassificationChapter.Run(progress: progress, cancellationToken: cancellationToken);

    protected override IReadOnlyDictionary<string, Plotting.Figure> FiguresOf(ClassificationReport report) => report.Figures;

    protected override void Print(ClassificationReport report)
    {
        static string P(double v) => v.ToString("P2", CultureInfo.InvariantCulture);
        AnsiConsole.Write(new Rule("[bold]Chapter 3 — classification[/]").LeftJustified());
        var logistic = report.Lesson.Logistic.Run;
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"3-1 logistic regression on hours studied: loss {logistic.FinalLoss:F4}, p(pass | 1 h) = {logistic.PassProbabilityAt1Hour:F3}, p(pass | 7 h) = {logistic.PassProbabilityAt7Hours:F5}, boundary {logistic.DecisionBoundary:F2} h");
        var table = new Table().AddColumns("data set", "model", "parameters", "training samples", "test accuracy");
        foreach (var result in report.Tables.Concat(report.Images))
            table.AddRow(result.Dataset, result.Model, result.Parameters.ToString("N0", CultureInfo.InvariantCulture), result.TrainSamples.ToString("N0", CultureInfo.InvariantCulture), P(result.TestAccuracy));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]Fashion-MNIST here: 2 epochs on a 6,000-image subset. Full training with each model's recipe: studydl train --model cnn (or softmax, mlp, lenet)[/]");
    }
}
