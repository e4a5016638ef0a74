using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.TorchBasics;
using Studying.DeepLearning.Benchmarks;

namespace Studying.DeepLearning.Cli;

/// <summary><c>studydl bench loader|memory</c>: benchmarks of chapter 2 (timings, so not unit tests).</summary>
internal static class BenchCommand
{
    /// <summary>Adds the <c>bench</c> branch and its commands, plus those that <paramref name="more"/> add (other chapters' benchmarks; Spectre keeps only the first branch of a name).</summary>
    public static void Register(IConfigurator config, params Action<IConfigurator<CommandSettings>>[] more) =>
        config.AddBranch("bench", bench =>
        {
            bench.SetDescription("Benchmarks: data loading (prefetching vs TorchSharp's DataLoader), memory with/without dispose scopes, and more per chapter.");
            bench.AddCommand<LoaderBenchCommand>("loader")
                .WithDescription("Loader throughput and epoch ÷ training time, 1/2/4 workers, latency- and CPU-bound items.");
            bench.AddCommand<MemoryBenchCommand>("memory")
                .WithDescription("Peak memory of a small CNN loop with and without a dispose scope per step (each in a fresh process).");
            foreach (var add in more)
                add(bench);
        });

    internal static void Write<T>(T report, IReadOnlyDictionary<string, Figure> figures, string? output, bool json, Action<T> print, string command = "bench")
    {
        if (output is not null)
        {
            var folder = Path.GetFullPath(output);
            Directory.CreateDirectory(folder);
            foreach (var (name, figure) in figures)
                figure.SaveHtml(Path.Combine(folder, name + ".html"));
            File.WriteAllText(Path.Combine(folder, "report.json"), JsonSerializer.Serialize(report, ChapterOutput.Json));
            ChapterOutput.Log.MarkupLineInterpolated($"[grey]{command}: {figures.Count} charts and report.json written to {folder}[/]");
        }
        if (json)
            Console.Out.WriteLine(JsonSerializer.Serialize(report, ChapterOutput.Json));
        else
            print(report);
    }

    internal static string F(double value, string format = "F2") => value.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>Options of <c>studydl bench loader</c>.</summary>
internal sealed class LoaderBenchSettings : BenchSettings
{
    [CommandOption("--batches <N>")]
    [Description("Batches per epoch. Default: 40")]
    public int Batches { get; init; } = 40;

    [CommandOption("--batch-size <N>")]
    [Description("Items per batch. Default: 8")]
    public int BatchSize { get; init; } = 8;

    [CommandOption("--item-ms <MS>")]
    [Description("Latency (waiting) per item in the latency-bound scenario; 0 skips it. Default: 2")]
    public double ItemMilliseconds { get; init; } = 2;

    [CommandOption("--item-cpu-ms <MS>")]
    [Description("CPU work per item in the CPU-bound scenario; 0 skips it. Default: 2")]
    public double ItemCpuMilliseconds { get; init; } = 2;

    [CommandOption("--workers <LIST>")]
    [Description("Worker counts, comma-separated. Default: 1,2,4")]
    public string Workers { get; init; } = "1,2,4";

    public IReadOnlyList<int> WorkerCounts() =>
        Workers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => int.TryParse(w, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
                : throw new UsageException($"--workers: '{w}' is not a whole number; give a list such as 1,2,4."))
            .ToArray();

    protected override IEnumerable<Func<string?>> Checks() =>
    [
        () => OptionChecks.Range("--batches", Batches, 1, 100_000),
        () => OptionChecks.Range("--batch-size", BatchSize, 1, 4096),
        () => OptionChecks.Range("--item-ms", ItemMilliseconds, 0, 10_000),
        () => OptionChecks.Range("--item-cpu-ms", ItemCpuMilliseconds, 0, 10_000),
        () => ItemMilliseconds == 0 && ItemCpuMilliseconds == 0 ? "--item-ms and --item-cpu-ms are both 0; give at least one a cost above zero." : null,
        () => WorkerCheck(),
    ];

    private string? WorkerCheck()
    {
        var parts = Workers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
            return "--workers is empty; give a list such as 1,2,4.";
        foreach (var w in parts)
        {
            if (!int.TryParse(w, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                return $"--workers: '{w}' is not a whole number; give a list such as 1,2,4.";
            if (OptionChecks.Range("--workers", n, 1, 64) is { } error)
                return error;
        }
        return null;
    }
}

/// <summary><c>studydl bench loader</c>.</summary>
internal sealed class LoaderBenchCommand : Command<LoaderBenchSettings>
{
    public override int Execute(CommandContext context, LoaderBenchSettings settings, CancellationToken cancellationToken)
    {
        var options = new LoaderBenchmarkOptions(settings.Batches, settings.BatchSize, settings.ItemMilliseconds, settings.ItemCpuMilliseconds, settings.WorkerCounts());
        var report = LoaderBenchmark.Run(options, ChapterOutput.Progress("bench loader"), cancellationToken);
        BenchCommand.Write(report, report.Figures, settings.Output, settings.Json, Print);
        return 0;
    }

    private static void Print(LoaderBenchmarkReport report)
    {
        foreach (var s in report.Scenarios)
        {
            AnsiConsole.Write(new Rule($"[bold]{s.Name}[/]: {s.Batches} batches of {s.BatchSize}, {BenchCommand.F(s.Cost.TotalMilliseconds, "G3")} ms per item; training step {BenchCommand.F(s.TrainStepMilliseconds, "G3")} ms ({s.Cores} cores, load average {(s.LoadAverage is { } l ? BenchCommand.F(l, "F1") : "?")})").LeftJustified());
            var table = new Table().AddColumns("loader", "workers", "batches/s (loading alone)", "epoch s (with training)", "epoch ÷ training", "ideal");
            foreach (var r in s.Rows)
                table.AddRow(r.Loader.ToString(), r.Workers.ToString(CultureInfo.InvariantCulture), BenchCommand.F(r.BatchesPerSecond, "F1"),
                    BenchCommand.F(r.EpochSeconds, "F3"), BenchCommand.F(r.EpochOverTraining), BenchCommand.F(r.IdealEpochOverTraining));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Pure training: {BenchCommand.F(s.TrainingSeconds, "F3")} s for {s.Batches} steps.");
        }
        foreach (var finding in report.Findings)
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"• {finding}");
    }
}

/// <summary>Options of <c>studydl bench memory</c>.</summary>
internal sealed class MemoryBenchSettings : BenchSettings
{
    [CommandOption("--steps <N>")]
    [Description("Training steps of the loop with a dispose scope per step. Default: 200")]
    public int Steps { get; init; } = 200;

    [CommandOption("--no-scope-steps <N>")]
    [Description("Training steps of the loop without a scope (it grows; bounded by --limit-mb too). Default: 200")]
    public int NoScopeSteps { get; init; } = 200;

    [CommandOption("--batch-size <N>")]
    [Description("Images per step. Default: 64")]
    public int BatchSize { get; init; } = 64;

    [CommandOption("--limit-mb <MIB>")]
    [Description("Stop a variant when its resident memory passes this. Default: 4096")]
    public double LimitMegabytes { get; init; } = 4096;

    [CommandOption("--variant <scoped|unscoped>")]
    [Description("Run only this variant in this process (used for the child processes).")]
    public string? Variant { get; init; }

    [CommandOption("--in-process")]
    [Description("Run both variants in this process (peaks are then shared; read the growth per step).")]
    public bool InProcess { get; init; }

    protected override IEnumerable<Func<string?>> Checks() =>
    [
        () => Variant is null or "scoped" or "unscoped" ? null : "--variant must be 'scoped' or 'unscoped'.",
        () => OptionChecks.Range("--steps", Steps, 1, 1_000_000),
        () => OptionChecks.Range("--no-scope-steps", NoScopeSteps, 1, 1_000_000),
        () => OptionChecks.Range("--batch-size", BatchSize, 1, 4096),
        () => OptionChecks.Range("--limit-mb", LimitMegabytes, 0, 1_048_576, minExclusive: true),
    ];
}

/// <summary><c>studydl bench memory</c>: each variant in a fresh child process, because the kernel's peak (VmHWM) is per process.</summary>
internal sealed class MemoryBenchCommand : Command<MemoryBenchSettings>
{
    public override int Execute(CommandContext context, MemoryBenchSettings settings, CancellationToken cancellationToken)
    {
        var progress = ChapterOutput.Progress("bench memory");
        if (settings.Variant is { } variant)
        {
            var single = MemoryBenchmark.RunVariant(Options(settings, variant == "scoped"), progress, cancellationToken);
            Console.Out.WriteLine(JsonSerializer.Serialize(single, ChapterOutput.Json));
            return 0;
        }

        var scoped = settings.InProcess ? MemoryBenchmark.RunVariant(Options(settings, true), progress, cancellationToken) : Child(settings, "scoped", cancellationToken);
        var unscoped = settings.InProcess ? MemoryBenchmark.RunVariant(Options(settings, false), progress, cancellationToken) : Child(settings, "unscoped", cancellationToken);
        var report = MemoryBenchmarkReport.From(scoped, unscoped, freshProcesses: !settings.InProcess);
        BenchCommand.Write(report, report.Figures, settings.Output, settings.Json, Print);
        return 0;
    }

    private static MemoryBenchmarkOptions Options(MemoryBenchSettings s, bool scoped) =>
        new(scoped ? s.Steps : s.NoScopeSteps, scoped, s.BatchSize, RssLimitMegabytes: s.LimitMegabytes);

    private static MemoryVariantResult Child(MemoryBenchSettings settings, string variant, CancellationToken cancellationToken) =>
        ChildProcess.RunJson<MemoryVariantResult>(
            ["bench", "memory", "--variant", variant, "--steps", settings.Steps.ToString(CultureInfo.InvariantCulture),
             "--no-scope-steps", settings.NoScopeSteps.ToString(CultureInfo.InvariantCulture), "--batch-size", settings.BatchSize.ToString(CultureInfo.InvariantCulture),
             "--limit-mb", settings.LimitMegabytes.ToString(CultureInfo.InvariantCulture)],
            $"the '{variant}' variant", ChapterOutput.Json, cancellationToken);

    private static void Print(MemoryBenchmarkReport report)
    {
        AnsiConsole.Write(new Rule($"[bold]Memory of a small CNN loop[/] ({(report.FreshProcesses ? "each variant in a fresh process: peaks are its own" : "one process: peaks are shared, read the growth")})").LeftJustified());
        var table = new Table().AddColumns("variant", "steps", "start MiB", $"peak after {report.Scoped.CheckStep} MiB", "final peak MiB", "peak ratio", "RSS growth MiB/step", "live tensors/step");
        foreach (var v in new[] { report.Scoped, report.Unscoped })
            table.AddRow(v.ScopePerStep ? "dispose scope per step" : "no dispose scope",
                $"{v.StepsRun}/{v.StepsRequested}{(v.StoppedAtLimit ? " (limit)" : "")}", BenchCommand.F(v.StartRssMegabytes, "F0"),
                v.PeakAtCheckStepMegabytes is { } p ? BenchCommand.F(p, "F0") : "—", BenchCommand.F(v.PeakRssMegabytes, "F0"),
                v.PeakRatio is { } r ? BenchCommand.F(r, "F3") : "—", BenchCommand.F(v.RssGrowthPerStepMegabytes, "F3"), BenchCommand.F(v.LiveTensorsPerStep, "F1"));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Scoped loop: final peak within 10 % of the peak after {report.Scoped.CheckStep} steps — ")
            + (report.ScopedPeakWithinTenPercent ? "[green]yes[/]." : "[red]no[/]."));
    }
}
