using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Training;

/// <summary>Charts of a training run: loss and accuracy curves per epoch, and the confusion matrix.</summary>
public static class TrainingCharts
{
    /// <summary>Loss per epoch, training against validation (validation only where it was measured).</summary>
    /// <param name="history">The run's epochs.</param>
    /// <param name="title">The chart title.</param>
    public static Figure LossCurves(TrainingHistory history, string title = "Loss per epoch") =>
        Curves(history, title, "loss", e => e.TrainLoss, e => e.ValidationLoss);

    /// <summary>Accuracy per epoch, training against validation.</summary>
    /// <param name="history">The run's epochs.</param>
    /// <param name="title">The chart title.</param>
    public static Figure AccuracyCurves(TrainingHistory history, string title = "Accuracy per epoch") =>
        Curves(history, title, "accuracy", e => e.TrainAccuracy, e => e.ValidationAccuracy) with { YAxis = new Axis("accuracy", Range: (0, 1)) };

    /// <summary>The confusion matrix as a heatmap: rows are true classes, columns predicted classes, cells counts.</summary>
    /// <param name="evaluation">The evaluation to draw.</param>
    /// <param name="title">The chart title.</param>
    public static Figure ConfusionMatrix(EvaluationResult evaluation, string title = "Confusion matrix")
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var names = evaluation.ClassNames;
        var rows = evaluation.ConfusionRows.Select(r => (IReadOnlyList<double>)r.Select(c => (double)c).ToArray()).ToArray();
        return new Figure(title, new HeatmapTrace("count", names, names, rows)).WithAxisTitles("predicted class", "true class");
    }

    private static Figure Curves(TrainingHistory history, string title, string metric, Func<EpochRecord, double> train, Func<EpochRecord, double?> validation)
    {
        ArgumentNullException.ThrowIfNull(history);
        var epochs = history.Epochs;
        var figure = new Figure(title, Trace.Line($"training {metric}", epochs.Select(e => (double)e.Epoch).ToArray(), epochs.Select(train).ToArray()));
        var measured = epochs.Where(e => validation(e) is not null).ToArray();
        if (measured.Length > 0)
            figure = figure.Add(Trace.Line($"validation {metric}", measured.Select(e => (double)e.Epoch).ToArray(), measured.Select(e => validation(e)!.Value).ToArray()));
        return figure.WithAxisTitles("epoch", metric);
    }
}
