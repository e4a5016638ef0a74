using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Studying.DeepLearning.Classification;
using Studying.DeepLearning.ResNet;
using Studying.DeepLearning.TorchBasics;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Cli;

/// <summary>Options of <c>studydl train</c>.</summary>
internal sealed class TrainSettings : CommandSettings
{
    [CommandOption("--model <NAME>")]
    [Description("softmax, mlp, cnn, lenet, or a chapter-4 network: resnet20 … resnet110, plain20 … plain110, cifar-resnet18, resnet18 … resnet152, inception (tables: softmax or mlp). Default: cnn")]
    public string Model { get; init; } = "cnn";

    [CommandOption("--dataset <NAME>")]
    [Description("fashion-mnist, mnist, cifar10, iris, wine or breast-cancer. Default: fashion-mnist")]
    public string Dataset { get; init; } = "fashion-mnist";

    [CommandOption("--epochs <N>")]
    [Description("Training epochs. Default: the model's recipe (softmax 10, mlp 15, cnn 10, resnet/plain 30).")]
    public int? Epochs { get; init; }

    [CommandOption("--batch-size <N>")]
    [Description("Samples per batch. Default: the model's recipe (128).")]
    public int? BatchSize { get; init; }

    [CommandOption("--lr <RATE>")]
    [Description("Learning rate. Default: the model's recipe (softmax, mlp 0.001; cnn 0.002; resnet/plain 0.1).")]
    public double? LearningRate { get; init; }

    [CommandOption("--optimizer <NAME>")]
    [Description("adam, adamw, sgd, momentum or nesterov. Default: the model's recipe (adam; momentum for resnet/plain).")]
    public string? Optimizer { get; init; }

    [CommandOption("--weight-decay <X>")]
    [Description("Weight decay. Default: the model's recipe (0; 5e-4 for resnet/plain).")]
    public double? WeightDecay { get; init; }

    [CommandOption("--schedule <NAME>")]
    [Description("constant, step or cosine learning rate per epoch. Default: the model's recipe (cosine).")]
    public string? Schedule { get; init; }

    [CommandOption("--augment")]
    [Description("Random crop (zero padding) and horizontal flip, decided per image. Default: the model's recipe (on for resnet/plain).")]
    public bool Augment { get; init; }

    [CommandOption("--no-augment")]
    [Description("No augmentation, even where the model's recipe has it.")]
    public bool NoAugment { get; init; }

    [CommandOption("--patience <N>")]
    [Description("Early stopping: epochs without a better validation loss before stopping.")]
    public int? Patience { get; init; }

    [CommandOption("--train-limit <N>")]
    [Description("Use only N training images (a quick run).")]
    public int? TrainLimit { get; init; }

    [CommandOption("--seed <N>")]
    [Description("Seed of weights, splits, shuffling and augmentation. Default: 0")]
    public int Seed { get; init; }

    [CommandOption("--data <DIR>")]
    [Description("Folder holding the data set's files (searched before STUDYDL_DATA, the user cache and /usr/share/datasets).")]
    public string? Data { get; init; }

    [CommandOption("--checkpoints <DIR>")]
    [Description("Write the best weights and a resumable last state here (atomically).")]
    public string? Checkpoints { get; init; }

    [CommandOption("--resume")]
    [Description("Continue the interrupted run whose last.ckpt is in --checkpoints (give the same options).")]
    public bool Resume { get; init; }

    [CommandOption("--overwrite")]
    [Description("Let this fresh run replace another run's checkpoints in --checkpoints (they are replaced when it writes its first one; without this such a folder is refused).")]
    public bool Overwrite { get; init; }

    [CommandOption("-o|--out <DIR>")]
    [Description("Folder for charts and report.json. Default: out/train")]
    public string Output { get; init; } = Path.Combine("out", "train");

    [CommandOption("--json")]
    [Description("Print the result as one JSON object on stdout (progress goes to stderr).")]
    public bool Json { get; init; }

    [CommandOption("--images <DIR>")]
    [Description("Also write the training curves and the confusion matrix as PNG into DIR (e.g. img); needs Chromium.")]
    public string? Images { get; init; }

    private static readonly string[] Optimizers = ["adam", "adamw", "sgd", "momentum", "nesterov"];
    private static readonly string[] Schedules = ["constant", "step", "cosine"];

    /// <summary>The tables bundled with the library (they take only the table models).</summary>
    private static readonly string[] Tables = ["iris", "wine", "breast-cancer"];

    /// <summary>Every option checked before any data is read or any weight is trained, each error naming its option.</summary>
    public override ValidationResult Validate() => OptionChecks.First(
        () => OptionChecks.OneOf("--model", Model, ClassifierModels.Names.Concat(ResNetModels.AllNames)),
        () => OptionChecks.OneOf("--dataset", Dataset, ClassificationExperiment.Datasets),
        () => Tables.Contains(Dataset.ToLowerInvariant()) && !ClassifierModels.TableNames.Contains(Model.ToLowerInvariant())
            ? $"--model {Model} takes images; for the table '{Dataset}' choose one of: {string.Join(", ", ClassifierModels.TableNames)}." : null,
        () => Optimizer is null ? null : OptionChecks.OneOf("--optimizer", Optimizer, Optimizers),
        () => Schedule is null ? null : OptionChecks.OneOf("--schedule", Schedule, Schedules),
        () => OptionChecks.Range("--epochs", Epochs, 1, 10_000),
        () => OptionChecks.Range("--batch-size", BatchSize, 1, 65_536),
        // Any finite positive rate is the user's to try: a huge one ends in the trainer's divergence message, exit 1.
        () => LearningRate is { } lr ? OptionChecks.Range("--lr", lr, 0, double.MaxValue, minExclusive: true) : null,
        () => WeightDecay is { } wd ? OptionChecks.Range("--weight-decay", wd, 0, 1e6) : null,
        () => Augment && NoAugment ? "--augment and --no-augment contradict each other; give at most one." : null,
        () => OptionChecks.Range("--patience", Patience, 1, 10_000),
        () => OptionChecks.Range("--train-limit", TrainLimit, 10, int.MaxValue),
        () => Data is "" ? "--data is empty; give the folder that holds the data set's files." : null,
        () => Resume && Checkpoints is null ? "--resume needs --checkpoints DIR, the folder of the run to continue." : null,
        () => Resume && Checkpoints is { } ck && !File.Exists(Path.Combine(ck, TrainingCheckpoint.LastFileName))
            ? $"--resume: {Path.GetFullPath(ck)} holds no {TrainingCheckpoint.LastFileName}; give the --checkpoints folder of the run to continue, or drop --resume." : null,
        () => OptionChecks.WritableFolder("--checkpoints", Checkpoints),
        () => OptionChecks.WritableFolder("--out", Output),
        () => OptionChecks.ImagesFolder(Images));
}

/// <summary><c>studydl train</c>: one chapter-3 model on one data set, with a progress bar, evaluated on the test set.</summary>
internal sealed class TrainCommand : Command<TrainSettings>
{
    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        // Names are accepted case-insensitively (as the library's model factories do) and reported in lower case.
        var model = settings.Model.Trim().ToLowerInvariant();
        var chapter4 = ResNetModels.AllNames.Contains(model);
        // Every option not given comes from the model's recipe (its best measured settings).
        var recipe = TrainingRecipe.For(model);
        var options = new ExperimentOptions(model, settings.Dataset.Trim().ToLowerInvariant(), settings.Epochs ?? recipe.Epochs,
            settings.BatchSize ?? recipe.BatchSize, settings.LearningRate ?? recipe.LearningRate, settings.Seed)
        {
            DataFolder = settings.Data,
            Optimizer = settings.Optimizer is { } optimizer ? ParseOptimizer(optimizer) : recipe.Optimizer,
            WeightDecay = settings.WeightDecay ?? recipe.WeightDecay,
            Schedule = settings.Schedule is null
                ? recipe.Schedule
                : Enum.TryParse<ScheduleKind>(settings.Schedule, ignoreCase: true, out var schedule)
                    ? schedule
                    : throw new UsageException($"--schedule: unknown name '{settings.Schedule}'; choose constant, step or cosine."),
            Augment = settings.Augment || (recipe.Augment && !settings.NoAugment),
            Patience = settings.Patience,
            TrainLimit = settings.TrainLimit,
            CheckpointFolder = settings.Checkpoints,
            Resume = settings.Resume,
            OverwriteCheckpoints = settings.Overwrite,
            ImageModel = chapter4 ? ResNetModels.ForImages(model) : null,
            Device = ComputeDevice.Current,
        };

        ExperimentResult? result = null;
        ChapterOutput.Log.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask("loading", maxValue: 1.0);
                // The bar follows the trainer's callbacks: every 10th step (reading the running accuracy costs a device
                // synchronisation) and the end of every epoch.
                var bar = new TrainerCallbacks
                {
                    OnBatchEnd = b =>
                    {
                        if (b.Batch % 10 != 0)
                            return;
                        task.Description = string.Create(CultureInfo.InvariantCulture,
                            $"epoch {b.Epoch}/{b.Epochs}  loss {b.RunningLoss:F4}  acc {b.RunningAccuracy:P1}");
                        task.Value = (b.Epoch - 1 + b.Fraction) / b.Epochs;
                    },
                    OnEpochEnd = e =>
                    {
                        var done = e.Record;
                        task.Description = string.Create(CultureInfo.InvariantCulture,
                            $"epoch {done.Epoch}/{e.Epochs}  loss {done.TrainLoss:F4}  acc {done.TrainAccuracy:P1}");
                        task.Value = (double)done.Epoch / e.Epochs;
                        ChapterOutput.Log.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                            $"[blue]epoch {done.Epoch}[/] train {done.TrainLoss:F4} / {done.TrainAccuracy:P2}, validation {done.ValidationLoss:F4} / {done.ValidationAccuracy:P2}, {done.Seconds:F1} s");
                    },
                };
                result = ClassificationExperiment.Run(options with { Callbacks = bar }, null, ChapterOutput.Progress("train"), cancellationToken);
                task.Value = 1.0;
            });

        // (The data files and their SHA-256 are in the result, so report.json records exactly what was trained on.)
        BenchCommand.Write(result!, result!.Figures, settings.Output, settings.Json, Print, "train");
        if (settings.Images is { } images)
        {
            foreach (var name in new[] { "accuracy", "confusion-matrix" })
            {
                var path = Path.GetFullPath(Path.Combine(images, $"{result.Dataset}-{result.Model}-{name}.png"));
                result.Figures[name].SavePng(path, 900, name == "confusion-matrix" ? 700 : 520);
                ChapterOutput.Log.MarkupLineInterpolated($"[grey]train: wrote {path}[/]");
            }
        }
        return 0;
    }

    private static OptimizerKind ParseOptimizer(string name) => name.ToLowerInvariant() switch
    {
        "adam" => OptimizerKind.Adam,
        "adamw" => OptimizerKind.AdamW,
        "sgd" => OptimizerKind.Sgd,
        "momentum" => OptimizerKind.Momentum,
        "nesterov" => OptimizerKind.Nesterov,
        _ => throw new UsageException($"--optimizer: unknown name '{name}'; choose adam, adamw, sgd, momentum or nesterov."),
    };

    private static void Print(ExperimentResult result)
    {
        var table = new Table().AddColumns("model", "data set", "parameters", "epochs", "train s", "test accuracy", "test loss");
        table.AddRow(result.Model, result.Dataset, result.Parameters.ToString("N0", CultureInfo.InvariantCulture),
            result.History.Count.ToString(CultureInfo.InvariantCulture), result.TrainSeconds.ToString("F1", CultureInfo.InvariantCulture),
            result.TestAccuracy.ToString("P2", CultureInfo.InvariantCulture), result.TestLoss.ToString("F4", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"{result.Training.Message}");
        var perClass = new Table().AddColumns("class", "test accuracy");
        for (var k = 0; k < result.Test.ClassNames.Count; k++)
            perClass.AddRow(Markup.Escape(result.Test.ClassNames[k]), result.Test.PerClassAccuracy[k]?.ToString("P1", CultureInfo.InvariantCulture) ?? "—");
        AnsiConsole.Write(perClass);
    }
}
