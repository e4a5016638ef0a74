using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Benchmarks;

namespace Studying.DeepLearning.Cli;

/// <summary>Options of <c>studydl bench data</c>.</summary>
internal sealed class DataBenchSettings : BenchSettings
{
    [CommandOption("--file <GZ>")]
    [Description("IDX images .gz to decode. Default: Debian's Fashion-MNIST training images")]
    public string? File { get; init; }

    [CommandOption("--repeats <N>")]
    [Description("Timed repetitions (the fastest counts). Default: 3")]
    public int Repeats { get; init; } = 3;

    [CommandOption("--batch-size <N>")]
    [Description("Images per batch in the pipeline and CNN measurements. Default: 128")]
    public int BatchSize { get; init; } = 128;

    protected override IEnumerable<Func<string?>> Checks() =>
    [
        () => OptionChecks.Range("--repeats", Repeats, 1, 1000),
        () => OptionChecks.Range("--batch-size", BatchSize, 1, new DataBenchmarkOptions().PipelineImages),
        () => File switch
        {
            null => null,
            "" => "--file is empty; give an IDX images .gz file.",
            _ when Directory.Exists(File) => $"--file {Path.GetFullPath(File)} is a folder; give an IDX images .gz file.",
            _ when !System.IO.File.Exists(File) => $"--file {Path.GetFullPath(File)} does not exist; give an IDX images .gz file.",
            _ => null,
        },
    ];
}

/// <summary><c>studydl bench data</c>: IDX decoding vs decompression, and augmented batches/s vs a small CNN's steps/s.</summary>
internal sealed class DataBenchCommand : Command<DataBenchSettings>
{
    /// <summary>Adds <c>data</c> to the <c>bench</c> branch (Spectre keeps only the first branch of a name, so BenchCommand calls this).</summary>
    public static void AddTo(IConfigurator<CommandSettings> bench) =>
        bench.AddCommand<DataBenchCommand>("data")
            .WithDescription("Chapter 3 data: decoding Fashion-MNIST vs merely decompressing it; augmented batches/s vs a small CNN's steps/s.");

    public override int Execute(CommandContext context, DataBenchSettings settings, CancellationToken cancellationToken)
    {
        var report = DataBenchmark.Run(new DataBenchmarkOptions(settings.File, settings.Repeats, BatchSize: settings.BatchSize),
            ChapterOutput.Progress("bench data"), cancellationToken);
        BenchCommand.Write(report, report.Figures, settings.Output, settings.Json, Print);
        return 0;
    }

    private static void Print(DataBenchmarkReport r)
    {
        var table = new Table().AddColumns("measurement", "value", "target");
        if (r.DecodeOverDecompress is { } ratio)
        {
            table.AddRow("decompress only (s)", BenchCommand.F(r.DecompressSeconds!.Value, "F3"), "");
            table.AddRow($"decode {r.Images} images to a float tensor (s)", BenchCommand.F(r.DecodeSeconds!.Value, "F3"), "");
            table.AddRow("decode ÷ decompress", BenchCommand.F(ratio), "≤ 1.30");
        }
        table.AddRow($"augmented batches/s (batch {r.BatchSize})", BenchCommand.F(r.PipelineBatchesPerSecond, "F1"), "");
        table.AddRow("small CNN training steps/s", BenchCommand.F(r.CnnStepsPerSecond, "F1"), "");
        table.AddRow("pipeline ÷ CNN", BenchCommand.F(r.PipelineOverCnn, "F1"), "≥ 3");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[grey]{r.Cores} cores; {(r.ImagesFile ?? "no IDX file found")}[/]"));
    }
}
