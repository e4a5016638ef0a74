using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Studying.DeepLearning.ResNet;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Cli;

/// <summary>Options of <c>studydl resnet degradation</c>.</summary>
internal sealed class DegradationSettings : ChapterSettings
{
    [CommandOption("--models <NAMES>")]
    [Description("Comma-separated networks to compare. Default: plain20,plain56,resnet20,resnet56")]
    public string Models { get; init; } = string.Join(',', new DegradationOptions().Models);

    [CommandOption("--dataset <NAME>")]
    [Description("fashion-mnist, mnist or cifar10. Default: fashion-mnist")]
    public string Dataset { get; init; } = "fashion-mnist";

    [CommandOption("--train-samples <N>")]
    [Description("Training images (a seeded subset). Default: 5000")]
    public int TrainSamples { get; init; } = new DegradationOptions().TrainSamples;

    [CommandOption("--test-samples <N>")]
    [Description("Test images evaluated after every epoch. Default: 2000")]
    public int TestSamples { get; init; } = new DegradationOptions().TestSamples;

    [CommandOption("--epochs <N>")]
    [Description("Epochs per network. Default: 8")]
    public int Epochs { get; init; } = new DegradationOptions().Epochs;

    [CommandOption("--batch-size <N>")]
    [Description("Images per batch. Default: 128")]
    public int BatchSize { get; init; } = new DegradationOptions().BatchSize;

    [CommandOption("--lr <RATE>")]
    [Description("SGD learning rate (momentum 0.9, cosine schedule). Default: 0.03")]
    public double LearningRate { get; init; } = new DegradationOptions().LearningRate;

    [CommandOption("--warmup-epochs <N>")]
    [Description("Epochs at a tenth of the learning rate before the cosine schedule. Default: 1 (0 for a 1-epoch run)")]
    public int? WarmupEpochs { get; init; }

    [CommandOption("--seed <N>")]
    [Description("Seed of subsets, weights and shuffling. Default: 0")]
    public int Seed { get; init; }

    [CommandOption("--data <DIR>")]
    [Description("Folder holding the data set's files (searched first).")]
    public string? Data { get; init; }

    public override ValidationResult Validate()
    {
        var output = base.Validate();
        if (!output.Successful)
            return output;
        var models = Models.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return OptionChecks.First(
        [
            () => models.Length == 0 ? "--models is empty; give networks such as plain20,resnet20." : null,
            .. models.Select<string, Func<string?>>(m => () => OptionChecks.OneOf("--models", m, ResNetModels.Names)),
            () => models.Distinct(StringComparer.OrdinalIgnoreCase).Count() == models.Length ? null : "--models names a network twice; give each once.",
            () => OptionChecks.OneOf("--dataset", Dataset, ["fashion-mnist", "mnist", "cifar10"]),
            () => OptionChecks.Range("--epochs", Epochs, 1, 10_000),
            () => OptionChecks.Range("--batch-size", BatchSize, 2, 4096),
            () => OptionChecks.Range("--train-samples", TrainSamples, Math.Max(BatchSize, new DegradationOptions().GradientBatchSize), 1_000_000),
            () => OptionChecks.Range("--test-samples", TestSamples, 1, 1_000_000),
            () => OptionChecks.Range("--lr", LearningRate, 0, double.MaxValue, minExclusive: true),
            () => OptionChecks.Range("--warmup-epochs", WarmupEpochs, 0, Epochs - 1),
            () => Data is "" ? "--data is empty; give the folder that holds the data set's files." : null,
        ]);
    }

    public DegradationOptions ToOptions() => new(TrainSamples, TestSamples, Epochs, BatchSize, LearningRate, Seed)
    {
        Models = [.. Models.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(m => m.ToLowerInvariant())],
        Dataset = Dataset.ToLowerInvariant(),
        DataFolder = Data,
        WarmupEpochs = WarmupEpochs ?? (Epochs > 1 ? 1 : 0),
    };

    /// <summary>The defaults, writing where the given chapter settings say (for <c>studydl all</c>).</summary>
    public static DegradationSettings From(ChapterSettings settings) =>
        new() { Output = settings.Output, Json = settings.Json, Images = settings.Images };
}

/// <summary>
/// <c>studydl resnet degradation</c>: chapter 4's experiment — plain and residual networks of two depths trained side
/// by side, with their training/test error curves and the gradient norm per layer at initialisation.
/// </summary>
internal sealed class DegradationCommand : Command<DegradationSettings>
{
    private const string Chapter = "degradation";

    public override int Execute(CommandContext context, DegradationSettings settings, CancellationToken cancellationToken)
    {
        Run(settings, cancellationToken);
        return 0;
    }

    public static void Run(DegradationSettings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToOptions();
        DegradationReport? report = null;
        ChapterOutput.Log.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                var tasks = options.Models.ToDictionary(m => m, m => progress.AddTask(m, autoStart: false, maxValue: 1.0));
                var bar = new InlineProgress<DegradationProgress>(p =>
                {
                    var task = tasks[p.Model];
                    task.StartTask();
                    var t = p.Training;
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"{p.Model} epoch {t.Epoch}/{t.Epochs} loss {t.RunningLoss:F3}");
                    task.Value = (t.Epoch - 1 + t.Fraction) / t.Epochs;
                });
                report = DegradationExperiment.Run(options, bar, ChapterOutput.Progress(Chapter), cancellationToken);
                foreach (var task in tasks.Values)
                    task.Value = 1.0;
            });
        var page = new ChapterOutput.ChapterPage(Chapter, 5, "Chapter 4 — Plain vs residual: the degradation experiment",
            string.Create(CultureInfo.InvariantCulture, $"studydl resnet degradation: {string.Join(", ", options.Models)} on {report!.Dataset}, {options.TrainSamples:N0} training images, {options.Epochs} epochs, seed {options.Seed}."));
        ChapterOutput.Write(page, report, report.Figures, ["plain-vs-residual", "gradient-norms"], settings, Print, ChapterHeadlines.Of);
    }

    private static void Print(DegradationReport report)
    {
        AnsiConsole.Write(new Rule("[bold]Chapter 4 — plain vs residual: the degradation experiment[/]").LeftJustified());
        var table = new Table().AddColumns("network", "parameters", "train loss", "train error", "test error", "grad layer 1 ÷ last", "seconds");
        foreach (var run in report.Runs)
        {
            table.AddRow(run.DisplayName, run.Parameters.ToString("N0", CultureInfo.InvariantCulture), run.TrainLoss.ToString("F4", CultureInfo.InvariantCulture),
                run.TrainError.ToString("F2", CultureInfo.InvariantCulture) + " %", run.TestError.ToString("F2", CultureInfo.InvariantCulture) + " %",
                run.FirstToLastGradientRatio.ToString("G3", CultureInfo.InvariantCulture), run.Seconds.ToString("F0", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"{report.Dataset}, {report.Options.TrainSamples:N0} training images, {report.Options.Epochs} epochs. Deeper plain net trains worse: [bold]{Verdict(report.DeeperPlainTrainsWorse)}[/]; deeper residual net trains as well: [bold]{Verdict(report.DeeperResidualTrainsAsWell)}[/].");
    }

    private static string Verdict(bool? value) => value switch { true => "yes", false => "no", null => "—" };
}
