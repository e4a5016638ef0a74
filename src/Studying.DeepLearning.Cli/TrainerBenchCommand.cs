using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Benchmarks;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Cli;

/// <summary>Options of <c>studydl bench trainer</c>.</summary>
internal sealed class TrainerBenchSettings : BenchSettings
{
    [CommandOption("--samples <N>")]
    [Description("Training samples per epoch. Default: 32768")]
    public int Samples { get; init; } = 32768;

    [CommandOption("--batch-size <N>")]
    [Description("Samples per batch. Default: 64")]
    public int BatchSize { get; init; } = 64;

    [CommandOption("--rounds <N>")]
    [Description("Timed rounds of each variant (after one warm-up), interleaved. Default: 15")]
    public int Rounds { get; init; } = 15;

    protected override IEnumerable<Func<string?>> Checks() =>
    [
        () => OptionChecks.Range("--samples", Samples, 1, 10_000_000),
        () => OptionChecks.Range("--batch-size", BatchSize, 1, Math.Max(1, Samples)),
        () => OptionChecks.Range("--rounds", Rounds, 1, 1000),
    ];
}

/// <summary><c>studydl bench trainer</c>: one epoch through the chapter-3 Trainer against the same epoch in a bare loop.</summary>
internal sealed class TrainerBenchCommand : Command<TrainerBenchSettings>
{
    /// <summary>Adds <c>trainer</c> to the <c>bench</c> branch (see <see cref="BenchCommand.Register"/>).</summary>
    public static void Register(IConfigurator<CommandSettings> bench) =>
        bench.AddCommand<TrainerBenchCommand>("trainer")
            .WithDescription("Trainer overhead: an epoch through Trainer.Fit ÷ the same epoch in a hand-written loop (target ≤ 1.03).");

    public override int Execute(CommandContext context, TrainerBenchSettings settings, CancellationToken cancellationToken)
    {
        var options = new TrainerBenchmarkOptions(settings.Samples, settings.BatchSize, Rounds: settings.Rounds);
        var report = TrainerBenchmark.Run(options, ChapterOutput.Progress("bench trainer"), cancellationToken);
        BenchCommand.Write(report, report.Figures, settings.Output, settings.Json, Print);
        return 0;
    }

    private static void Print(TrainerBenchmarkReport report)
    {
        var o = report.Options;
        AnsiConsole.Write(new Rule($"[bold]Trainer overhead[/]: MLP {o.Features}→{o.Hidden}→10, {report.Batches} batches of {o.BatchSize}, SGD + momentum, {o.Rounds} rounds, {report.Threads} torch thread").LeftJustified());
        var table = new Table().AddColumns("variant", "fastest s/epoch", "median s/epoch", "rounds (s)");
        table.AddRow("Trainer.Fit", BenchCommand.F(report.TrainerSeconds.Min(), "F3"), BenchCommand.F(Statistics.Median(report.TrainerSeconds), "F3"), string.Join(" ", report.TrainerSeconds.Select(s => BenchCommand.F(s, "F3"))));
        table.AddRow("bare loop", BenchCommand.F(report.BareSeconds.Min(), "F3"), BenchCommand.F(Statistics.Median(report.BareSeconds), "F3"), string.Join(" ", report.BareSeconds.Select(s => BenchCommand.F(s, "F3"))));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Ratio of the fastest epochs {report.Ratio:F3} (target ≤ {TrainerBenchmarkReport.TargetRatio:F2}; medians {report.MedianRatio:F3}): ")
            + (report.WithinTarget ? "[green]within target[/]" : "[red]over target[/]")
            + (report.SameWeights ? "; both ended with identical weights." : "; [red]the weights differ[/]."));
    }
}
