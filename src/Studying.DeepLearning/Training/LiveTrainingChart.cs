using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Training;

/// <summary>
/// Training curves that redraw after every epoch: pass it to <see cref="Trainer.Fit"/> as the progress and give it
/// a way to show a figure. In a notebook: <c>var view = display("training…");</c> then
/// <c>new LiveTrainingChart(figure =&gt; view.Update(figure))</c> — the chart in that cell updates in place.
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

    /// <summary>Redraws when an epoch has finished; ignores the reports within an epoch.</summary>
    /// <param name="value">The trainer's progress report.</param>
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Completed is null)
            return;
        epochs.Add(value.Completed);
        var history = new TrainingHistory([.. epochs]);
        show(metric == LiveChartMetric.Loss
            ? TrainingCharts.LossCurves(history, $"Loss per epoch ({value.Epoch} of {value.Epochs})")
            : TrainingCharts.AccuracyCurves(history, $"Accuracy per epoch ({value.Epoch} of {value.Epochs})"));
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
