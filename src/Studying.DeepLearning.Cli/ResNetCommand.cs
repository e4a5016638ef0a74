using System.Globalization;
using Spectre.Console;
using Studying.DeepLearning.ResNet;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Cli;

/// <summary><c>studydl resnet</c>: chapter 4's networks, their parameters against the reference counts and their feature maps.</summary>
internal sealed class ResNetCommand : ChapterCommand<ResNetArchitectureReport>
{
    protected override string Chapter => "resnet";

    protected override ChapterOutput.ChapterPage Page => new(Chapter, 4, "Chapter 4 — The ResNet family", "studydl resnet: parameter counts against the reference numbers, feature maps.");

    protected override IReadOnlyList<Plotting.HeadlineNumber> Headlines(ResNetArchitectureReport report) => ChapterHeadlines.Of(report);

    protected override ResNetArchitectureReport RunChapter(IProgress<string> progress, CancellationToken cancellationToken) =>
        ResNetArchitectureSection.Run(
            progress: new InlineProgress<ResNetArchitectureRow>(row => progress.Report(string.Create(CultureInfo.InvariantCulture, $"{row.DisplayName}: {row.Parameters:N0} parameters"))),
            cancellationToken: cancellationToken);

    protected override IReadOnlyDictionary<string, Plotting.Figure> FiguresOf(ResNetArchitectureReport report) => report.Figures;

    protected override void Print(ResNetArchitectureReport report)
    {
        AnsiConsole.Write(new Rule("[bold]Chapter 4 — the ResNet family[/]").LeftJustified());
        var table = new Table().AddColumns("network", "depth", "parameters", "reference", "feature maps (stem, stages)");
        foreach (var row in report.Rows)
        {
            var reference = row.ReferenceParameters is { } r
                ? $"{r.ToString("N0", CultureInfo.InvariantCulture)} {(row.MatchesReference == true ? "[green]=[/]" : "[red]≠[/]")}"
                : "—";
            table.AddRow(Markup.Escape(row.DisplayName), row.Depth.ToString(CultureInfo.InvariantCulture),
                row.Parameters.ToString("N0", CultureInfo.InvariantCulture), reference, Markup.Escape(string.Join(" → ", row.FeatureMaps)));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{report.InputChannels} input channels, {report.Classes} classes.[/]");
    }
}
