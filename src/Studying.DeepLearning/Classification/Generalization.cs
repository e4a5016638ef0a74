using Studying.DeepLearning.Data;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.Training;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Classification;

/// <summary>
/// The model measured after one epoch of <see cref="Generalization.Fit"/>, in eval mode under <c>no_grad</c>, on the
/// training images (as they are, without augmentation) and on the test images: the two numbers whose difference is
/// the generalisation gap.
/// </summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">Mean cross-entropy on the training images after the epoch.</param>
/// <param name="TrainAccuracy">Accuracy (0–1) on the training images after the epoch.</param>
/// <param name="TestLoss">Mean cross-entropy on the test images after the epoch.</param>
/// <param name="TestAccuracy">Accuracy (0–1) on the test images after the epoch.</param>
public sealed record GeneralizationEpoch(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy)
{
    /// <summary>Training accuracy minus test accuracy: how much better the model does on what it was trained on.</summary>
    public double AccuracyGap => TrainAccuracy - TestAccuracy;
}

/// <summary>The outcome of <see cref="Generalization.Fit"/>: the trainer's result and the per-epoch measurements.</summary>
/// <param name="Name">A name for the run, used in charts (e.g. "dropout 0.5").</param>
/// <param name="Training">What the <see cref="Trainer"/> returned (its history, stop reason, best epoch).</param>
/// <param name="Epochs">One measurement per completed epoch.</param>
public sealed record GeneralizationRun(string Name, TrainingResult Training, IReadOnlyList<GeneralizationEpoch> Epochs)
{
    /// <summary>The last epoch's measurement.</summary>
    /// <exception cref="InvalidOperationException">The run completed no epoch.</exception>
    public GeneralizationEpoch Last => Epochs.Count > 0 ? Epochs[^1] : throw new InvalidOperationException($"The run '{Name}' completed no epoch.");
}

/// <summary>
/// Training curves that show generalisation: <see cref="Fit"/> trains with the <see cref="Trainer"/> and, after every
/// epoch, measures the model in eval mode on the training images and on test images; the charts draw both per run,
/// training solid and test dashed in one colour.
/// </summary>
/// <remarks>
/// Why not the trainer's own training loss: <see cref="EpochRecord.TrainLoss"/> is the running mean over the epoch's
/// batches, each taken before its update, in training mode — with dropout active and augmentation applied. It
/// measures the training <i>task</i>, not how well the final weights fit the training <i>images</i>; comparing it with
/// a test loss measured in eval mode mixes two different things. <see cref="Fit"/> measures both sides the same way.
/// </remarks>
public static class Generalization
{
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f"];

    /// <summary>
    /// Trains <paramref name="model"/> with <see cref="Trainer.Fit"/> and measures it after every epoch on
    /// <paramref name="trainMeasure"/> and <paramref name="test"/> (<see cref="Trainer.Evaluate"/>: eval mode, no grad).
    /// The measurements draw no randomness and leave the model in training mode, so the training itself is exactly
    /// the one <see cref="Trainer.Fit"/> would run with the same options.
    /// </summary>
    /// <param name="name">The run's name in charts.</param>
    /// <param name="model">The classifier (logits [batch, classes]).</param>
    /// <param name="train">The training batches (shuffled, perhaps augmented).</param>
    /// <param name="trainMeasure">The same training images for measuring: not augmented (and need not be shuffled).</param>
    /// <param name="test">Images the model never trains on.</param>
    /// <param name="options">The trainer's options; its <see cref="TrainerOptions.Callbacks"/> still run, before the measurement.</param>
    /// <param name="validation">The trainer's validation source (for early stopping and the best epoch), or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A bad option or source (see <see cref="Trainer.Fit"/>), or sources with different classes.</exception>
    public static GeneralizationRun Fit(string name, nn.Module<Tensor, Tensor> model, IBatchSource train, IBatchSource trainMeasure, IBatchSource test,
        TrainerOptions options, IBatchSource? validation = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(trainMeasure);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (source, role) in new[] { (trainMeasure, nameof(trainMeasure)), (test, nameof(test)) })
        {
            if (source.ClassNames is null || train.ClassNames is null || !source.ClassNames.SequenceEqual(train.ClassNames))
                throw new ArgumentException($"The {role} source's classes differ from the training source's.", role);
        }

        var epochs = new List<GeneralizationEpoch>();
        var device = options.Device;
        var measure = new TrainerCallbacks
        {
            OnEpochEnd = end =>
            {
                var onTrain = Trainer.Evaluate(model, trainMeasure, device: device);
                var onTest = Trainer.Evaluate(model, test, device: device);
                epochs.Add(new GeneralizationEpoch(end.Record.Epoch, onTrain.Loss, onTrain.Accuracy, onTest.Loss, onTest.Accuracy));
            },
        };
        var result = Trainer.Fit(model, train, validation, options with { Callbacks = TrainerCallbacks.Combine(options.Callbacks, measure) });
        return new GeneralizationRun(name, result, epochs);
    }

    /// <summary>Loss per epoch of each run: training solid, test dashed, one colour per run.</summary>
    /// <param name="title">The chart title.</param>
    /// <param name="runs">The runs to draw.</param>
    public static Figure LossChart(string title, params GeneralizationRun[] runs) =>
        Chart(title, "loss (cross-entropy)", e => e.TrainLoss, e => e.TestLoss, runs);

    /// <summary>Accuracy per epoch of each run: training solid, test dashed, one colour per run.</summary>
    /// <param name="title">The chart title.</param>
    /// <param name="runs">The runs to draw.</param>
    public static Figure AccuracyChart(string title, params GeneralizationRun[] runs) =>
        Chart(title, "accuracy", e => e.TrainAccuracy, e => e.TestAccuracy, runs);

    private static Figure Chart(string title, string metric, Func<GeneralizationEpoch, double> train, Func<GeneralizationEpoch, double> test, GeneralizationRun[] runs)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Length == 0)
            throw new ArgumentException("Give at least one run to draw.", nameof(runs));
        var traces = new List<Trace>();
        for (var i = 0; i < runs.Length; i++)
        {
            var run = runs[i] ?? throw new ArgumentException($"Run {i} is null.", nameof(runs));
            var colour = Colours[i % Colours.Length];
            double[] x = [.. run.Epochs.Select(e => (double)e.Epoch)];
            traces.Add(Trace.Line($"{run.Name}: training", x, [.. run.Epochs.Select(train)]) with { Color = colour });
            traces.Add(Trace.Line($"{run.Name}: test", x, [.. run.Epochs.Select(test)]) with { Color = colour, Dash = LineDash.Dash });
        }
        return new Figure(title, traces).WithAxisTitles("epoch", metric);
    }
}
