using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Training;

/// <summary>
/// Training curves that redraw after every epoch, driven by the trainer's epoch-end callback: put
/// <see cref="Callbacks"/> into <see cref="TrainerOptions.Callbacks"/>, or pass the chart to <see cref="Trainer.Fit"/>
/// (or an experiment) as its progress, and give it a way to show a figure. In a notebook:
/// <c>var view = display(LiveTrainingChart.Waiting);</c> then <c>new LiveTrainingChart(figure =&gt; view.Update(figure))</c>
/// — the chart in that cell updates in place.
/// </summary>
/// <param name="show">Shows (or replaces) the current figure; called on the training thread once per epoch.</param>
/// <param name="metric">Which curves to draw.</param>
public sealed class LiveTrainingChart(Action<Figure> show, LiveChartMetric metric = LiveChartMetric.Accuracy) : IProgress<TrainingProgress>
{
    private readonly List<EpochRecord> epochs = [];

    /// <summary>
    /// An empty chart to display before training starts (<c>var view = display(LiveTrainingChart.Waiting);</c>): a
    /// notebook display keeps the kind of its first value, so it must start as a chart to be updated as one.
    /// </summary>
    public static Figure Waiting { get; } = new("Training… the curves appear after the first epoch");

    /// <summary>The epochs finished so far.</summary>
    public IReadOnlyList<EpochRecord> Epochs => epochs;

    /// <summary>The trainer hooks that drive this chart (<see cref="OnEpochEnd"/>), for <see cref="TrainerOptions.Callbacks"/>.</summary>
    public TrainerCallbacks Callbacks => new() { OnEpochEnd = OnEpochEnd };

    /// <summary>Adds the finished epoch and redraws.</summary>
    /// <param name="value">The trainer's epoch-end report.</param>
    public void OnEpochEnd(EpochEnd value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Add(value.Record, value.Epochs);
    }

    /// <summary>Redraws when an epoch has finished (the report carrying <see cref="TrainingProgress.Completed"/>); ignores the reports within an epoch.</summary>
    /// <param name="value">The trainer's progress report.</param>
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Completed is { } completed)
            Add(completed, value.Epochs);
    }

    private void Add(EpochRecord record, int total)
    {
        epochs.Add(record);
        var history = new TrainingHistory([.. epochs]);
        show(metric == LiveChartMetric.Loss
            ? TrainingCharts.LossCurves(history, $"Loss per epoch ({record.Epoch} of {total})")
            : TrainingCharts.AccuracyCurves(history, $"Accuracy per epoch ({record.Epoch} of {total})"));
    }
}

/// <summary>The curves a <see cref="LiveTrainingChart"/> draws.</summary>
public enum LiveChartMetric
{
    /// <summary>Training and validation accuracy.</summary>
    Accuracy,
    /// <summary>Training and validation loss.</summary>
    Loss,
}
