using System.Diagnostics;
using System.Text.Json.Serialization;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.TorchBasics;
using TorchSharp;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Classification;

/// <summary>What to train on what: the options of <see cref="ClassificationExperiment.Run"/> and of <c>studydl train</c>.</summary>
/// <param name="Model">"softmax", "mlp", "cnn" or "lenet" (tabular data sets take "softmax" or "mlp").</param>
/// <param name="Dataset">One of <see cref="ClassificationExperiment.Datasets"/>.</param>
/// <param name="Epochs">Training epochs; at least one.</param>
/// <param name="BatchSize">Samples per batch; at least one.</param>
/// <param name="LearningRate">The optimiser's learning rate; positive.</param>
/// <param name="Seed">Seeds weights, splits, shuffling and augmentation.</param>
public sealed record ExperimentOptions(string Model, string Dataset, int Epochs = 10, int BatchSize = 128, double LearningRate = 1e-3, int Seed = 0)
{
    /// <summary>
    /// The folder holding the data set's files — only it is read (<see cref="DataSetSources.Explicit"/>: no other
    /// copy, no download) — or <see langword="null"/> for the usual search (<see cref="DataSetSources.Default"/>).
    /// </summary>
    public string? DataFolder { get; init; }

    /// <summary>The optimiser (default Adam).</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>L2 / decoupled weight decay of the optimiser.</summary>
    public double WeightDecay { get; init; }

    /// <summary>How the learning rate changes per epoch.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Constant;

    /// <summary>Per-image random crop and horizontal flip of training images.</summary>
    public bool Augment { get; init; }

    /// <summary>Use only this many training images (a quick run), or <see langword="null"/> for all.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Evaluate on only this many test images (a quick run), or <see langword="null"/> for the whole official test set.</summary>
    public int? TestLimit { get; init; }

    /// <summary>Share of the training images held out for validation (images only; tabular data use a 70/15/15 split).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Where checkpoints go (best weights and a resumable last state), or <see langword="null"/> for none.</summary>
    public string? CheckpointFolder { get; init; }

    /// <summary>
    /// Continue the run whose <see cref="TrainingCheckpoint.LastFileName"/> is in <see cref="CheckpointFolder"/> (same
    /// options and seed) instead of starting afresh: the result equals the uninterrupted run's.
    /// </summary>
    public bool Resume { get; init; }

    /// <summary>Let a fresh run replace another run's checkpoints in <see cref="CheckpointFolder"/> (see <see cref="TrainerOptions.OverwriteCheckpoints"/>).</summary>
    public bool OverwriteCheckpoints { get; init; }

    /// <summary>Stop after this many epochs without improvement of the validation loss, or <see langword="null"/> to run all epochs.</summary>
    public int? Patience { get; init; }

    /// <summary>
    /// Builds the image model for the training images, in place of looking <see cref="Model"/> up in
    /// <see cref="ClassifierModels"/>: how later chapters train their own networks (chapter 4's ResNets) through this
    /// experiment; <see cref="Model"/> is then only the display name. <see langword="null"/> for chapter 3's models.
    /// </summary>
    [JsonIgnore]
    public Func<ImageDataSet, torch.nn.Module<torch.Tensor, torch.Tensor>>? ImageModel { get; init; }

    /// <summary>Where to train and evaluate, or <see langword="null"/> for <see cref="ComputeDevice.Current"/>.</summary>
    [JsonIgnore]
    public torch.Device? Device { get; init; }

    /// <summary>The trainer's hooks (per-step logging, a progress bar, a live chart), or <see langword="null"/>; see <see cref="TrainerOptions.Callbacks"/>.</summary>
    [JsonIgnore]
    public TrainerCallbacks? Callbacks { get; init; }
}

/// <summary>The outcome of an experiment, as plain data (the JSON of <c>studydl train --json</c>).</summary>
/// <param name="Model">The model name.</param>
/// <param name="Dataset">The data set name.</param>
/// <param name="Parameters">Trainable parameters of the model.</param>
/// <param name="TrainSamples">Training samples per epoch.</param>
/// <param name="TestAccuracy">Accuracy (0–1) on the held-out test set (the official one for images).</param>
/// <param name="TestLoss">Cross-entropy on the test set.</param>
/// <param name="TrainSeconds">Wall-clock seconds spent in training (all epochs, validation included).</param>
/// <param name="Training">Per-epoch history and how training ended.</param>
/// <param name="Test">Confusion matrix and per-class accuracy on the test set.</param>
/// <param name="PeakMemoryMegabytes">The process's peak resident memory (VmHWM on Linux) after each epoch: flat when nothing leaks.</param>
public sealed record ExperimentResult(string Model, string Dataset, long Parameters, long TrainSamples, double TestAccuracy, double TestLoss,
    double TrainSeconds, TrainingResult Training, EvaluationResult Test, IReadOnlyList<double> PeakMemoryMegabytes)
{
    /// <summary>The per-epoch history (also inside <see cref="Training"/>), at the top level for quick reading.</summary>
    public IReadOnlyList<EpochRecord> History => Training.History.Epochs;

    /// <summary>The training settings used (epochs, batch size, optimiser, learning rate, weight decay, schedule, augmentation).</summary>
    public TrainingRecipe? Settings { get; init; }

    /// <summary>The seed of weights, splits, shuffling and augmentation.</summary>
    public int Seed { get; init; }

    /// <summary>The data files read (full paths, sizes, SHA-256); empty for the tables bundled with the library.</summary>
    public IReadOnlyList<DataFile> DataFiles { get; init; } = [];

    /// <summary>Training curves, the confusion matrix and (for images) a sample grid.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, Figure> Figures { get; init; } = new Dictionary<string, Figure>();
}

/// <summary>
/// Trains one of chapter 3's models on one data set with the <see cref="Trainer"/> and evaluates it on the test set:
/// what <c>studydl train</c> runs, and what the notebooks call.
/// </summary>
public static class ClassificationExperiment
{
    /// <summary>The data sets by name: images (Fashion-MNIST, MNIST, CIFAR-10) and the bundled tables.</summary>
    public static IReadOnlyList<string> Datasets { get; } = ["fashion-mnist", "mnist", "cifar10", "iris", "wine", "breast-cancer"];

    /// <summary>Loads the data, builds the model, trains, evaluates on the test set, and draws the charts.</summary>
    /// <param name="options">Model, data set and training settings.</param>
    /// <param name="training">Per-batch and per-epoch progress of the trainer (a live chart), or <see langword="null"/>; <see cref="ExperimentOptions.Callbacks"/> gives every step.</param>
    /// <param name="log">Lines about loading and the outcome, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <exception cref="ArgumentException">An unknown model or data set, a model that cannot take the data, or bad settings.</exception>
    public static ExperimentResult Run(ExperimentOptions options, IProgress<TrainingProgress>? training = null, IProgress<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        TorchRuntime.EnsureLoaded();
        var (train, validation, test, createModel, figures, dataFiles) = Prepare(options, log, cancellationToken);

        torch.random.manual_seed(options.Seed);
        using var model = createModel();
        var parameters = ClassifierModels.CountParameters(model);
        log?.Report($"{options.Model} on {options.Dataset}: {parameters:N0} parameters, {train.SampleCount:N0} training samples");

        var peaks = new List<double>();
        var device = options.Device ?? ComputeDevice.Current;
        var trainerOptions = new TrainerOptions
        {
            Device = device,
            Callbacks = TrainerCallbacks.Combine(new TrainerCallbacks { OnEpochEnd = _ => peaks.Add(PeakMegabytes()) }, options.Callbacks),
            Epochs = options.Epochs,
            Optimizer = new OptimizerSpec(options.Optimizer, options.LearningRate) { WeightDecay = options.WeightDecay },
            Schedule = new LearningRateSchedule(options.Schedule, StepSize: Math.Max(1, options.Epochs / 3), Gamma: 0.1),
            Seed = options.Seed,
            CheckpointFolder = options.CheckpointFolder,
            OverwriteCheckpoints = options.OverwriteCheckpoints,
            EarlyStopping = options.Patience is int patience ? new EarlyStopping(patience) : null,
        };
        var clock = Stopwatch.StartNew();
        var result = options.Resume
            ? Trainer.Resume(model, train, validation, trainerOptions, Path.Combine(options.CheckpointFolder!, TrainingCheckpoint.LastFileName), training, cancellationToken)
            : Trainer.Fit(model, train, validation, trainerOptions, training, cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        if (result.Divergence is { } divergence)
            throw new TrainingDivergedException(divergence, options.LearningRate);
        var evaluation = Trainer.Evaluate(model, test, device: device, cancellationToken: cancellationToken);
        log?.Report($"{result.Message} Test accuracy {evaluation.Accuracy:P2} after {seconds:F1} s of training.");

        figures["loss"] = TrainingCharts.LossCurves(result.History, $"{options.Model} on {options.Dataset}: loss per epoch");
        figures["accuracy"] = TrainingCharts.AccuracyCurves(result.History, $"{options.Model} on {options.Dataset}: accuracy per epoch");
        figures["confusion-matrix"] = TrainingCharts.ConfusionMatrix(evaluation, $"{options.Model} on {options.Dataset}: confusion matrix (test set)");
        return new ExperimentResult(options.Model, options.Dataset, parameters, train.SampleCount, evaluation.Accuracy, evaluation.Loss, seconds, result, evaluation, peaks)
        {
            Figures = figures,
            DataFiles = dataFiles,
            Settings = new TrainingRecipe(options.Epochs, options.BatchSize, options.LearningRate, options.Optimizer, options.WeightDecay, options.Schedule, options.Augment),
            Seed = options.Seed,
        };
    }

    /// <summary>The process's peak resident set (VmHWM on Linux, native libtorch memory included), noted at the end of every epoch.</summary>
    private static double PeakMegabytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    private static void Validate(ExperimentOptions options)
    {
        if (!Datasets.Contains(options.Dataset))
            throw new ArgumentException($"Unknown data set '{options.Dataset}'. Choose one of: {string.Join(", ", Datasets)}.", nameof(options));
        if (options.ImageModel is null && !ClassifierModels.Names.Contains(options.Model, StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException($"Unknown model '{options.Model}'. Choose one of: {string.Join(", ", ClassifierModels.Names)}.", nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 1, nameof(options.Epochs));
        if (options.Resume && (options.CheckpointFolder is null || !File.Exists(Path.Combine(options.CheckpointFolder, TrainingCheckpoint.LastFileName))))
            throw new ArgumentException($"Resuming needs the checkpoint folder of an earlier run with {TrainingCheckpoint.LastFileName} in it; found none in '{options.CheckpointFolder ?? "(no folder given)"}'.", nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options.BatchSize));
        Infrastructure.Require.Positive(options.LearningRate, nameof(options.LearningRate));
        if (options.TrainLimit is < 10)
            throw new ArgumentOutOfRangeException(nameof(options), options.TrainLimit, "A training subset needs at least 10 samples.");
        if (options.TestLimit is < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.TestLimit, "A test subset needs at least 1 sample.");
        if (!(options.ValidationFraction > 0 && options.ValidationFraction < 0.5))
            throw new ArgumentOutOfRangeException(nameof(options), options.ValidationFraction, "The validation fraction must be between 0 and 0.5.");
    }

    private static (IBatchSource Train, IBatchSource Validation, IBatchSource Test, Func<TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>> Model, Dictionary<string, Figure> Figures, IReadOnlyList<DataFile> DataFiles)
        Prepare(ExperimentOptions options, IProgress<string>? log, CancellationToken cancellationToken)
    {
        var figures = new Dictionary<string, Figure>();
        var sample = options.Dataset switch
        {
            "iris" => TabularSample.Iris,
            "wine" => TabularSample.Wine,
            "breast-cancer" => TabularSample.BreastCancer,
            _ => (TabularSample?)null,
        };
        if (sample is { } table)
        {
            if (options.ImageModel is not null || !ClassifierModels.TableNames.Contains(options.Model, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"The model '{options.Model}' takes images; for the table '{options.Dataset}' choose one of: {string.Join(", ", ClassifierModels.TableNames)}.", nameof(options));
            var split = TabularSplit.Create(TabularCsv.Load(table), seed: options.Seed);
            log?.Report("class balance: " + string.Join("; ", split.Balance.Select(b => $"{b.Split} {string.Join("/", b.PerClass)}")));
            return (new TabularBatchSource(split.Train, options.BatchSize, shuffle: true, seed: options.Seed),
                new TabularBatchSource(split.Validation, options.BatchSize, shuffle: false),
                new TabularBatchSource(split.Test, options.BatchSize, shuffle: false),
                () => ClassifierModels.CreateForTable(options.Model, split.Train.FeatureCount, split.Train.ClassNames.Count),
                figures, []);
        }

        var sources = options.DataFolder is { } folder ? DataSetSources.Explicit(folder) : DataSetSources.Default();
        var splits = options.Dataset switch
        {
            "fashion-mnist" => IdxDataSet.FashionMnist.Load(sources, log, cancellationToken),
            "mnist" => IdxDataSet.Mnist.Load(sources, log, cancellationToken),
            _ => Cifar10Reader.Load(sources, log, cancellationToken),
        };
        log?.Report($"{splits.Train.Name}: {splits.Train.Count:N0} training and {splits.Test.Count:N0} test images from {splits.Folder}");
        splits.EnsureSameGeometry();
        var dataFiles = FilesOf(options.Dataset, splits.Folder).Select(DataFile.Of).ToArray();
        figures["samples"] = SampleGridChart.Draw(splits.Test);

        var (trainImages, validationImages) = HoldOut(splits.Train, options);
        var testImages = options.TestLimit is int limit && limit < splits.Test.Count ? splits.Test.Subset(Enumerable.Range(0, limit).ToArray(), "test subset") : splits.Test;
        var normalization = ImageNormalization.Compute(trainImages);
        var augmentation = options.Augment ? (trainImages.Height >= 32 ? ImageAugmentation.Cifar : ImageAugmentation.Mnist) : null;
        var train = new ImageBatchSource(trainImages, new ImageBatchOptions(options.BatchSize, Shuffle: true, Seed: options.Seed, Normalization: normalization, Augmentation: augmentation));
        var evaluationOptions = new ImageBatchOptions(Math.Max(options.BatchSize, 256), Shuffle: false, Normalization: normalization);
        return (train, new ImageBatchSource(validationImages, evaluationOptions), new ImageBatchSource(testImages, evaluationOptions),
            () => options.ImageModel is { } build
                ? build(trainImages)
                : ClassifierModels.Create(options.Model, trainImages.Channels, (trainImages.Height, trainImages.Width), trainImages.ClassNames.Count),
            figures, dataFiles);
    }

    // The files a data set was read from: the four IDX files, or CIFAR-10's archive or its batch files (and class names).
    private static IEnumerable<string> FilesOf(string dataset, string folder) => dataset switch
    {
        "fashion-mnist" => IdxDataSet.FashionMnist.Files.Select(f => Path.Combine(folder, f.FileName)),
        "mnist" => IdxDataSet.Mnist.Files.Select(f => Path.Combine(folder, f.FileName)),
        _ when File.Exists(folder) => [folder],
        _ => Cifar10Reader.BatchFiles.Append("batches.meta.txt").Select(f => Path.Combine(folder, f)).Where(File.Exists),
    };

    // A seeded shuffle splits the official training set into training and validation images; the test set stays untouched.
    private static (ImageDataSet Train, ImageDataSet Validation) HoldOut(ImageDataSet all, ExperimentOptions options)
    {
        var order = Enumerable.Range(0, all.Count).ToArray();
        new Random(options.Seed).Shuffle(order);
        var validationCount = (int)Math.Round(all.Count * options.ValidationFraction);
        var validation = order[..validationCount];
        var train = order[validationCount..];
        if (options.TrainLimit is int limit && limit < train.Length)
        {
            train = train[..limit];
            validation = validation[..Math.Min(validation.Length, Math.Max(limit / 5, 10))];
        }
        return (all.Subset(train, "training"), all.Subset(validation, "validation"));
    }
}
