using Stopwatch = System.Diagnostics.Stopwatch;
using System.Globalization;
using System.Text.Json.Serialization;
using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.TorchBasics;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.ResNet;

/// <summary>Settings of <see cref="DegradationExperiment.Run"/>: He et al.'s CIFAR experiment, scaled down for a CPU.</summary>
/// <param name="TrainSamples">Training images (a seeded random subset of the official training set).</param>
/// <param name="TestSamples">Test images (a seeded random subset of the official test set), evaluated after every epoch.</param>
/// <param name="Epochs">Training epochs of every network.</param>
/// <param name="BatchSize">Images per batch.</param>
/// <param name="LearningRate">SGD's learning rate (momentum 0.9), annealed to 0 by a cosine schedule.</param>
/// <param name="Seed">Seeds the subsets, the weights (the same seed for every network), shuffling and the gradient batch.</param>
public sealed record DegradationOptions(int TrainSamples = 5000, int TestSamples = 2000, int Epochs = 8, int BatchSize = 128, double LearningRate = 0.03, int Seed = 0)
{
    /// <summary>The networks compared, by <see cref="ResNetModels"/> name: plain20, plain56, resnet20, resnet56 by default.</summary>
    public IReadOnlyList<string> Models { get; init; } = ["plain20", "plain56", "resnet20", "resnet56"];

    /// <summary>"fashion-mnist" (default, installed by the Debian package), "mnist" or "cifar10" (the paper's data).</summary>
    public string Dataset { get; init; } = "fashion-mnist";

    /// <summary>The folder holding the data set's files — only it is read, never another copy — or <see langword="null"/> for the usual search.</summary>
    public string? DataFolder { get; init; }

    /// <summary>L2 weight decay of SGD (the paper's 1e-4).</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>
    /// Epochs at a tenth of the learning rate before the cosine schedule starts (1 by default): He et al. warmed up
    /// their deepest network the same way, and without it ResNet-56 spends this short run recovering from its first
    /// steps at 0.1.
    /// </summary>
    public int WarmupEpochs { get; init; } = 1;

    /// <summary>Images in the one batch whose gradients are measured at initialisation.</summary>
    public int GradientBatchSize { get; init; } = 128;

    /// <summary>Where to train, or <see langword="null"/> for <see cref="ComputeDevice.Current"/>.</summary>
    [JsonIgnore]
    public torch.Device? Device { get; init; }

    /// <summary>A small setting that still runs every step (about a minute on two cores): for tests and a first look.</summary>
    public static DegradationOptions Quick { get; } = new(TrainSamples: 600, TestSamples: 300, Epochs: 2, BatchSize: 100) { WarmupEpochs = 0 };
}

/// <summary>The gradient of one weighted layer's weights, measured on one batch at initialisation.</summary>
/// <param name="Layer">1 for the first convolution, up to the depth for the classifier.</param>
/// <param name="Parameter">The parameter's name in the model, such as <c>layer2.0.conv1.weight</c>.</param>
/// <param name="Norm">The Frobenius norm ‖∂L/∂W‖ of the cross-entropy's gradient.</param>
public sealed record LayerGradient(int Layer, string Parameter, double Norm);

/// <summary>One network's part of the experiment.</summary>
/// <param name="Model">The <see cref="ResNetModels"/> name.</param>
/// <param name="DisplayName">"Plain-56", "ResNet-20", ….</param>
/// <param name="Depth">Weighted layers.</param>
/// <param name="Residual">Whether the blocks have shortcuts.</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="Gradients">Per-layer gradient norms at initialisation, from the input side to the classifier.</param>
/// <param name="History">Per-epoch training loss/accuracy (measured while training) and test loss/accuracy.</param>
/// <param name="Seconds">Training time (all epochs, test passes included).</param>
public sealed record DegradationRun(string Model, string DisplayName, int Depth, bool Residual, long Parameters,
    IReadOnlyList<LayerGradient> Gradients, TrainingHistory History, double Seconds)
{
    /// <summary>Training error (1 − accuracy, in %) of the last epoch.</summary>
    public double TrainError => 100 * (1 - History.Epochs[^1].TrainAccuracy);

    /// <summary>Test error (in %) after the last epoch.</summary>
    public double TestError => 100 * (1 - (History.Epochs[^1].ValidationAccuracy ?? double.NaN));

    /// <summary>Training loss of the last epoch.</summary>
    public double TrainLoss => History.Epochs[^1].TrainLoss;

    /// <summary>
    /// The first layer's gradient norm ÷ the largest of the last five layers': how much of the signal reaches the
    /// input side. Far below 1 means the gradient vanishes on its way back.
    /// </summary>
    public double FirstToLastGradientRatio => FirstToLastRatio(Gradients);

    internal static double FirstToLastRatio(IReadOnlyList<LayerGradient> gradients) => gradients[0].Norm / gradients.TakeLast(5).Max(g => g.Norm);
}

/// <summary>What <see cref="DegradationExperiment.Run"/> found.</summary>
/// <param name="Options">What was run.</param>
/// <param name="Dataset">The data set's display name.</param>
/// <param name="Runs">One entry per network, in the order of <see cref="DegradationOptions.Models"/>.</param>
public sealed record DegradationReport(DegradationOptions Options, string Dataset, IReadOnlyList<DegradationRun> Runs)
{
    /// <summary>
    /// Whether the deepest plain network ends with a higher training loss than the shallowest one — degradation: a
    /// deeper network that could copy the shallower one (its extra layers as identities) fits the training data worse.
    /// <see langword="null"/> when fewer than two plain networks ran.
    /// </summary>
    public bool? DeeperPlainTrainsWorse => Compare(residual: false);

    /// <summary>Whether the deepest residual network ends with a training loss no higher than the shallowest one's (<see langword="null"/> with fewer than two).</summary>
    public bool? DeeperResidualTrainsAsWell => Compare(residual: true) is bool worse ? !worse : null;

    /// <summary>The training and test curves of every network on one chart, and the gradient norms per layer.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, Figure> Figures { get; init; } = new Dictionary<string, Figure>();

    private bool? Compare(bool residual)
    {
        var family = Runs.Where(r => r.Residual == residual).OrderBy(r => r.Depth).ToList();
        return family.Count < 2 || family[0].Depth == family[^1].Depth ? null : family[^1].TrainLoss > family[0].TrainLoss;
    }
}

/// <summary>A report from <see cref="DegradationExperiment.Run"/> while it works.</summary>
/// <param name="Model">The network being trained.</param>
/// <param name="Training">The trainer's progress within that network's run.</param>
/// <param name="Curves">After each finished epoch: the curves chart with every epoch so far; otherwise <see langword="null"/>.</param>
public sealed record DegradationProgress(string Model, TrainingProgress Training, Figure? Curves);

/// <summary>
/// The degradation experiment of He et al. (2015, figures 1 and 6), scaled down: plain networks of 20 and 56 layers
/// and their residual twins, the same weights seed, data and optimiser for each, trained side by side; the deeper
/// plain network fits the training data worse, the deeper residual network does not. Before training, one batch's
/// gradient norm at every layer shows how the signal fades on its way back through a plain stack.
/// </summary>
public static class DegradationExperiment
{
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f"];

    /// <summary>Loads the data, measures the gradients at initialisation, trains every network and draws the charts.</summary>
    /// <param name="options">Sizes and networks; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Per-batch and per-epoch progress with the growing chart, or <see langword="null"/>.</param>
    /// <param name="log">A line per step (loading, each network's start and result), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between batches (throws <see cref="OperationCanceledException"/>).</param>
    /// <exception cref="ArgumentException">An unknown network or data set, or sizes out of range.</exception>
    public static DegradationReport Run(DegradationOptions? options = null, IProgress<DegradationProgress>? progress = null, IProgress<string>? log = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new DegradationOptions();
        Validate(options);
        TorchRuntime.EnsureLoaded();
        var splits = LoadData(options, log, cancellationToken);
        var (train, test) = Subsets(splits, options);
        var normalization = ImageNormalization.Compute(train);
        var trainSource = new ImageBatchSource(train, new ImageBatchOptions(options.BatchSize, Shuffle: true, Seed: options.Seed, Normalization: normalization));
        var testSource = new ImageBatchSource(test, new ImageBatchOptions(Math.Max(options.BatchSize, 256), Shuffle: false, Normalization: normalization));
        log?.Report(string.Create(CultureInfo.InvariantCulture,
            $"{splits.Train.Name}: {train.Count:N0} training and {test.Count:N0} test images, {options.Epochs} epochs per network on {options.Device ?? ComputeDevice.Current}"));

        var device = options.Device ?? ComputeDevice.Current;
        var runs = new List<DegradationRun>();
        var colours = options.Models.Select((m, i) => (m, Colours[i % Colours.Length])).ToDictionary(p => p.m, p => p.Item2);
        foreach (var name in options.Models)
        {
            cancellationToken.ThrowIfCancellationRequested();
            torch.random.manual_seed(options.Seed);
            using var model = ResNetModels.Create(name, train.Channels, train.ClassNames.Count);
            var network = (IResidualNetwork)model;
            var residual = network is not CifarResNet { Plain: true };
            model.to(device);
            var gradients = GradientNorms(model, trainSource, options.GradientBatchSize, device);
            log?.Report(string.Create(CultureInfo.InvariantCulture,
                $"{network.Name}: {ClassifierModels.CountParameters(model):N0} parameters; gradient norm at layer 1 ÷ last layers {DegradationRun.FirstToLastRatio(gradients):G3}"));

            var epochs = new List<EpochRecord>();
            var relay = progress is null ? null : TrainerCallbacks.FromProgress(new InlineProgress<TrainingProgress>(p =>
            {
                Figure? curves = null;
                if (p.Completed is { } done)
                {
                    epochs.Add(done);
                    var partial = new DegradationRun(name, network.Name, network.Depth, residual, 0, gradients, new TrainingHistory([.. epochs]), 0);
                    curves = CurvesChart([.. runs, partial], options, colours);
                }
                progress.Report(new DegradationProgress(name, p, curves));
            }), 10);
            var clock = Stopwatch.StartNew();
            var result = Trainer.Fit(model, trainSource, testSource, new TrainerOptions
            {
                Epochs = options.Epochs,
                Optimizer = new OptimizerSpec(OptimizerKind.Momentum, options.LearningRate) { WeightDecay = options.WeightDecay },
                Schedule = new LearningRateSchedule(ScheduleKind.Cosine) { WarmupEpochs = options.WarmupEpochs },
                Seed = options.Seed,
                RestoreBestWeights = false,
                Device = device,
                Callbacks = relay,
            }, null, cancellationToken);
            var run = new DegradationRun(name, network.Name, network.Depth, residual,
                ClassifierModels.CountParameters(model), gradients, result.History, clock.Elapsed.TotalSeconds);
            if (result.Divergence is { } d)
                throw new InvalidOperationException($"{network.Name} diverged ({result.Message}); lower the learning rate (now {options.LearningRate.ToString(CultureInfo.InvariantCulture)}).");
            runs.Add(run);
            log?.Report(string.Create(CultureInfo.InvariantCulture,
                $"{network.Name}: training error {run.TrainError:F2} % (loss {run.TrainLoss:F4}), test error {run.TestError:F2} %, {run.Seconds:F0} s"));
        }

        return new DegradationReport(options, splits.Train.Name, runs)
        {
            Figures = new Dictionary<string, Figure>
            {
                ["plain-vs-residual"] = CurvesChart(runs, options, colours),
                ["gradient-norms"] = GradientChart(runs, colours),
            },
        };
    }

    /// <summary>
    /// The gradient norm of every weighted layer (convolutions and the classifier, from the input side on) for one
    /// batch of the source's first epoch, in training mode as during training. Leaves the gradients zeroed.
    /// </summary>
    /// <param name="model">A network of this chapter.</param>
    /// <param name="source">Where the batch comes from (its first <paramref name="batchSize"/> images of epoch 1).</param>
    /// <param name="batchSize">Images in the batch.</param>
    /// <param name="device">Where the model lives (the batch is copied there), or <see langword="null"/> for <see cref="ComputeDevice.Current"/>.</param>
    /// <exception cref="ArgumentException">A source without enough images for one batch.</exception>
    public static IReadOnlyList<LayerGradient> GradientNorms(nn.Module<Tensor, Tensor> model, IBatchSource source, int batchSize, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 2);
        using var scope = NewDisposeScope();
        device ??= ComputeDevice.Current;
        var inputs = new List<Tensor>();
        var targets = new List<Tensor>();
        long count = 0;
        foreach (var batch in source.GetBatches(1))
        {
            inputs.Add(batch.Inputs.to(device));
            targets.Add(batch.Targets.to(device));
            count += batch.Count;
            if (count >= batchSize)
                break;
        }
        if (count < batchSize)
            throw new ArgumentException($"The source has {count} images, fewer than the gradient batch of {batchSize}.", nameof(source));
        var x = cat(inputs, 0).narrow(0, 0, batchSize);
        var y = cat(targets, 0).narrow(0, 0, batchSize);
        var wasTraining = model.training;
        model.train();
        try
        {
            model.zero_grad();
            nn.functional.cross_entropy(model.call(x), y).backward();
            var layers = model.named_parameters()
                .Where(p => p.parameter.dim() >= 2 && p.name.EndsWith("weight", StringComparison.Ordinal))
                .Select((p, i) => new LayerGradient(i + 1, p.name, p.parameter.grad is { } g ? g.norm().item<float>() : 0))
                .ToList();
            model.zero_grad();
            return layers;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>Training error (solid) and test error (dashed) per epoch, one colour per network, on one chart.</summary>
    /// <param name="runs">The runs so far.</param>
    /// <param name="options">The settings (for the title).</param>
    /// <param name="colours">A colour per model name.</param>
    private static Figure CurvesChart(IReadOnlyList<DegradationRun> runs, DegradationOptions options, Dictionary<string, string> colours)
    {
        var traces = new List<Trace>();
        foreach (var run in runs)
        {
            var epochs = run.History.Epochs;
            var x = epochs.Select(e => (double)e.Epoch).ToArray();
            traces.Add(Trace.Line($"{run.DisplayName} train", x, [.. epochs.Select(e => 100 * (1 - e.TrainAccuracy))]) with { Color = colours[run.Model] });
            traces.Add(Trace.Line($"{run.DisplayName} test", x, [.. epochs.Select(e => 100 * (1 - (e.ValidationAccuracy ?? double.NaN)))]) with { Color = colours[run.Model], Dash = LineDash.Dash });
        }
        return new Figure(string.Create(CultureInfo.InvariantCulture,
                $"Plain vs residual: error per epoch ({options.TrainSamples:N0} training images; solid = training, dashed = test)"), traces)
            .WithAxisTitles("epoch", "error (%)");
    }

    private static Figure GradientChart(IReadOnlyList<DegradationRun> runs, Dictionary<string, string> colours) =>
        new Figure("Gradient norm per layer at initialisation (one batch; layer 1 = input side)",
            [.. runs.Select(r => (Trace)(new ScatterTrace(r.DisplayName, [.. r.Gradients.Select(g => (double)g.Layer)], [.. r.Gradients.Select(g => g.Norm)], TraceMode.LinesAndMarkers) { Color = colours[r.Model] }))])
        {
            YAxis = new Axis("‖∂L/∂W‖", Logarithmic: true),
        }.WithAxisTitles("layer", "‖∂L/∂W‖ (log scale)");

    private static void Validate(DegradationOptions options)
    {
        if (options.Models.Count == 0)
            throw new ArgumentException("The experiment needs at least one network.", nameof(options));
        foreach (var model in options.Models)
        {
            if (!ResNetModels.Names.Contains(model))
                throw new ArgumentException($"Unknown network '{model}'; valid names are: {string.Join(", ", ResNetModels.Names)}.", nameof(options));
        }
        if (options.Models.Distinct().Count() != options.Models.Count)
            throw new ArgumentException("Each network may appear only once.", nameof(options));
        if (options.Dataset is not ("fashion-mnist" or "mnist" or "cifar10"))
            throw new ArgumentException($"Unknown data set '{options.Dataset}'; choose fashion-mnist, mnist or cifar10.", nameof(options));
        if (options.TrainSamples < options.BatchSize || options.TrainSamples < options.GradientBatchSize)
            throw new ArgumentOutOfRangeException(nameof(options), options.TrainSamples, $"Train samples ({options.TrainSamples}) must be at least one batch ({options.BatchSize}) and the gradient batch ({options.GradientBatchSize}).");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TestSamples, 1, nameof(options.TestSamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 1, nameof(options.Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 2, nameof(options.BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.GradientBatchSize, 2, nameof(options.GradientBatchSize));
        if (options.WarmupEpochs < 0 || options.WarmupEpochs >= options.Epochs)
            throw new ArgumentOutOfRangeException(nameof(options), options.WarmupEpochs, $"Warm-up epochs must be from 0 to {options.Epochs - 1} (fewer than the epochs).");
        Infrastructure.Require.Positive(options.LearningRate, nameof(options.LearningRate));
        if (!(options.WeightDecay >= 0))
            throw new ArgumentOutOfRangeException(nameof(options), options.WeightDecay, "Weight decay must be zero or positive.");
    }

    private static ImageSplits LoadData(DegradationOptions options, IProgress<string>? log, CancellationToken cancellationToken)
    {
        var sources = options.DataFolder is { } folder ? DataSetSources.Explicit(folder) : DataSetSources.Default();
        var splits = options.Dataset switch
        {
            "fashion-mnist" => IdxDataSet.FashionMnist.Load(sources, log, cancellationToken),
            "mnist" => IdxDataSet.Mnist.Load(sources, log, cancellationToken),
            _ => Cifar10Reader.Load(sources, log, cancellationToken),
        };
        splits.EnsureSameGeometry();
        return splits;
    }

    private static (ImageDataSet Train, ImageDataSet Test) Subsets(ImageSplits splits, DegradationOptions options)
    {
        if (options.TrainSamples > splits.Train.Count || options.TestSamples > splits.Test.Count)
            throw new ArgumentOutOfRangeException(nameof(options), $"{splits.Train.Name} has {splits.Train.Count:N0} training and {splits.Test.Count:N0} test images; asked for {options.TrainSamples:N0} and {options.TestSamples:N0}.");
        var random = new Random(options.Seed);
        var train = Enumerable.Range(0, splits.Train.Count).ToArray();
        var test = Enumerable.Range(0, splits.Test.Count).ToArray();
        random.Shuffle(train);
        random.Shuffle(test);
        return (splits.Train.Subset(train[..options.TrainSamples], "training subset"), splits.Test.Subset(test[..options.TestSamples], "test subset"));
    }
}
