using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Studying.DeepLearning.ResNet;
using Studying.DeepLearning.Benchmarks;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Cli;

/// <summary>Options of <c>studydl bench resnet</c>.</summary>
internal sealed class ResNetBenchSettings : BenchSettings
{
    [CommandOption("--model <NAME>")]
    [Description("The network (a name from `studydl resnet`). Default: cifar-resnet18")]
    public string Model { get; init; } = "cifar-resnet18";

    [CommandOption("--batch-size <N>")]
    [Description("Images per step. Default: 64")]
    public int BatchSize { get; init; } = 64;

    [CommandOption("--steps <N>")]
    [Description("Timed steps per round and variant. Default: 10")]
    public int Steps { get; init; } = 10;

    [CommandOption("--warmup-steps <N>")]
    [Description("Steps of the untimed warm-up round (0: none). Default: 2")]
    public int WarmupSteps { get; init; } = 2;

    [CommandOption("--rounds <N>")]
    [Description("Timed rounds of each variant, interleaved. Default: 5")]
    public int Rounds { get; init; } = 5;

    [CommandOption("--memory-steps <N>")]
    [Description("Steps of the memory run (0 skips it). Default: 200")]
    public int MemorySteps { get; init; } = 200;

    [CommandOption("--memory-check-step <N>")]
    [Description("The early step whose peak memory is compared with the end. Default: 20")]
    public int MemoryCheckStep { get; init; } = 20;

    [CommandOption("--memory-loop <trainer|bare>")]
    [Description("The loop of the memory run. Default: trainer")]
    public string MemoryLoop { get; init; } = "trainer";

    [CommandOption("--threads <N>")]
    [Description("Torch threads for training and the matrix-multiply peak; 0 keeps torch's default. Default: 0")]
    public int Threads { get; init; }

    [CommandOption("--seed <N>")]
    [Description("Seed of the weights and the synthetic batches. Default: 0")]
    public int Seed { get; init; }

    [CommandOption("--sgemm-size <N>")]
    [Description("n of the n×n matrix product that measures the peak. Default: 4096")]
    public int SgemmSize { get; init; } = 4096;

    [CommandOption("--sgemm-repeats <N>")]
    [Description("Timed matrix products (the fastest counts). Default: 5")]
    public int SgemmRepeats { get; init; } = 5;

    [CommandOption("--malloc-mmap-threshold <BYTES>")]
    [Description("Experiment: fix glibc's mmap threshold (mallopt) in both processes, so freed tensors of at least this size go back to the system at once. Default: glibc's own")]
    public int? MallocMmapThreshold { get; init; }

    [CommandOption("--memory-only")]
    [Description("Only the memory run, in this process, printed as JSON (used for the child process).")]
    public bool MemoryOnly { get; init; }

    [CommandOption("--in-process")]
    [Description("Run the memory run in this process instead of a fresh child (its peak then includes this process's earlier work).")]
    public bool InProcess { get; init; }

    public ResNetStepLoop Loop => MemoryLoop.Equals("bare", StringComparison.OrdinalIgnoreCase) ? ResNetStepLoop.Bare : ResNetStepLoop.Trainer;

    public ResNetStepBenchmarkOptions Options() => new(Model, BatchSize, Steps, WarmupSteps, Rounds, MemoryCheckStep, MemorySteps, Seed, Threads, SgemmSize, SgemmRepeats, MallocMmapThreshold);

    protected override IEnumerable<Func<string?>> Checks() =>
    [
        () => OptionChecks.OneOf("--model", Model, ResNetModels.Names),
        () => MemoryLoop.ToLowerInvariant() is "trainer" or "bare" ? null : "--memory-loop must be 'trainer' or 'bare'.",
        () => OptionChecks.Range("--batch-size", BatchSize, 1, 4096),
        () => OptionChecks.Range("--steps", Steps, 1, 100_000),
        () => OptionChecks.Range("--warmup-steps", WarmupSteps, 0, 100_000),
        () => OptionChecks.Range("--rounds", Rounds, 1, 1000),
        () => OptionChecks.Range("--memory-steps", MemorySteps, 0, 1_000_000),
        () => OptionChecks.Range("--memory-check-step", MemoryCheckStep, 1, MemorySteps == 0 ? 1_000_000 : MemorySteps),
        () => OptionChecks.Range("--threads", Threads, 0, 1024),
        () => OptionChecks.Range("--sgemm-size", SgemmSize, 1, 16_384),
        () => OptionChecks.Range("--sgemm-repeats", SgemmRepeats, 1, 1000),
        () => OptionChecks.Range("--malloc-mmap-threshold", MallocMmapThreshold, 1, 32 * 1024 * 1024),
    ];

    /// <summary>The arguments that repeat these settings in a child process.</summary>
    public IEnumerable<string> ChildArguments()
    {
        string N(int value) => value.ToString(CultureInfo.InvariantCulture);
        string[] common = ["bench", "resnet", "--memory-only", "--model", Model, "--batch-size", N(BatchSize), "--memory-steps", N(MemorySteps),
            "--memory-check-step", N(MemoryCheckStep), "--memory-loop", MemoryLoop, "--threads", N(Threads), "--seed", N(Seed)];
        return MallocMmapThreshold is { } bytes ? [.. common, "--malloc-mmap-threshold", N(bytes)] : common;
    }
}

/// <summary>
/// <c>studydl bench resnet</c>: a ResNet training step through the Trainer against a bare loop, its GFLOP/s against
/// the matrix-multiply peak, and its memory over a long run (in a fresh child process, because the kernel's peak
/// VmHWM is per process).
/// </summary>
internal sealed class ResNetBenchCommand : Command<ResNetBenchSettings>
{
    /// <summary>Adds <c>resnet</c> to the <c>bench</c> branch (see <see cref="BenchCommand.Register"/>).</summary>
    public static void Register(IConfigurator<CommandSettings> bench) =>
        bench.AddCommand<ResNetBenchCommand>("resnet")
            .WithDescription("A CIFAR ResNet-18 step: Trainer ÷ bare loop (≤ 1.05), GFLOP/s ÷ sgemm peak (≥ 0.70), peak RSS (≤ 1.3 GB, flat from step 20 to 200).");

    public override int Execute(CommandContext context, ResNetBenchSettings settings, CancellationToken cancellationToken)
    {
        var progress = ChapterOutput.Progress("bench resnet");
        var options = settings.Options();
        options.Validate();
        if (settings.MemoryOnly)
        {
            var run = ResNetStepBenchmark.RunMemory(options, settings.Loop, freshProcess: true, progress, cancellationToken);
            Console.Out.WriteLine(JsonSerializer.Serialize(run, ChapterOutput.Json));
            return 0;
        }

        // The memory run first, in its own process, so that its peak is its own and the timing runs on a quiet machine.
        var memory = options.MemorySteps == 0 ? null
            : settings.InProcess ? ResNetStepBenchmark.RunMemory(options, settings.Loop, freshProcess: false, progress, cancellationToken)
            : Child(settings, cancellationToken);
        var report = ResNetStepBenchmark.Run(options, measureMemory: false, progress, cancellationToken) with { Memory = memory };
        BenchCommand.Write(report, report.Charts(), settings.Output, settings.Json, Print);
        return 0;
    }

    private static ResNetMemoryRun Child(ResNetBenchSettings settings, CancellationToken cancellationToken) =>
        ChildProcess.RunJson<ResNetMemoryRun>(settings.ChildArguments(), "the memory run", ChapterOutput.Json, cancellationToken);

    private static void Print(ResNetStepBenchmarkReport r)
    {
        var o = r.Options;
        AnsiConsole.Write(new Rule(string.Create(CultureInfo.InvariantCulture,
            $"[bold]{r.ModelName}[/] ({r.Parameters:N0} parameters), batch {o.BatchSize} of 3×{r.ImageSize}×{r.ImageSize}, SGD + momentum, {o.Steps} steps × {o.Rounds} rounds, {r.Threads} torch threads")).LeftJustified());
        var table = new Table().AddColumns("measurement", "trainer", "bare loop", "ratio", "target", "met");
        table.AddRow("fastest s/step", BenchCommand.F(r.TrainerSecondsPerStep.Min(), "F3"), BenchCommand.F(r.BareSecondsPerStep.Min(), "F3"),
            BenchCommand.F(r.Ratio, "F3"), $"≤ {BenchCommand.F(ResNetStepBenchmarkReport.TargetRatio)}", Met(r.RatioWithinTarget));
        table.AddRow("median s/step", BenchCommand.F(Statistics.Median(r.TrainerSecondsPerStep), "F3"), BenchCommand.F(Statistics.Median(r.BareSecondsPerStep), "F3"),
            BenchCommand.F(r.MedianRatio, "F3"), "", "");
        table.AddRow($"GFLOP/s (÷ sgemm {r.Sgemm.Size}: {BenchCommand.F(r.Sgemm.Gflops, "F1")})", BenchCommand.F(r.TrainerGflops, "F1"), BenchCommand.F(r.BareGflops, "F1"),
            BenchCommand.F(r.FractionOfPeak, "F3"), $"≥ {BenchCommand.F(ResNetStepBenchmarkReport.TargetFractionOfPeak)}", Met(r.FractionOfPeakMet));
        if (r.Memory is { } m)
        {
            var column = m.Loop == ResNetStepLoop.Trainer ? 1 : 2;
            string[] Row(string name, string value, string ratio, string target, string met)
            {
                var cells = new[] { name, "", "", ratio, target, met };
                cells[column] = value;
                return cells;
            }
            table.AddRow(Row($"peak RSS after {m.CheckStep} steps (MiB)", BenchCommand.F(m.PeakAtCheckStepMegabytes, "F0"), "", "", ""));
            table.AddRow(Row($"peak RSS after {m.Steps} steps (MiB)", BenchCommand.F(m.PeakRssMegabytes, "F0"), "", $"≤ {BenchCommand.F(ResNetStepBenchmarkReport.PeakRssLimitMegabytes, "F0")}", Met(r.PeakRssWithinLimit == true)));
            table.AddRow(Row($"peak after {m.Steps} ÷ after {m.CheckStep}", "", BenchCommand.F(m.PeakRatio, "F3"), $"≤ {BenchCommand.F(ResNetStepBenchmarkReport.FlatMemoryRatio)}", Met(r.MemoryFlat == true)));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[grey]{r.MultiplyAddsPerImage / 1e9:F3} G multiply-adds per image (ModelSummary); training FLOPs per step = 3 × 2 × MACs × batch = {r.TrainingFlopsPerStep / 1e9:F1} GFLOP.[/]"));
        if (o.MallocMmapThreshold is { } threshold)
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[yellow]glibc's mmap threshold was fixed at {threshold:N0} bytes (--malloc-mmap-threshold), not glibc's default.[/]"));
        if (r.Memory is { FreshProcess: false })
            AnsiConsole.MarkupLine("[yellow]The memory run shared its process with other work: its peak is not its own.[/]");
        AnsiConsole.MarkupLine((r.SameWeights ? "Trainer and bare loop ended with identical weights"
                : string.Create(CultureInfo.InvariantCulture, $"[red]The weights differ[/] (max |Δ| {r.MaxWeightDifference:G3})"))
            + (r.AllTargetsMet ? "; [green]every target met[/]." : "; [red]not every target met[/]."));
    }

    private static string Met(bool met) => met ? "[green]yes[/]" : "[red]no[/]";
}
