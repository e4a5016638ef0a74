namespace Studying.DeepLearning.Plotting;

/// <summary>Loss curves that several chapters draw: the loss of one or more runs against the update step.</summary>
public static class LossCharts
{
    /// <summary>Loss against update step on a log scale, one line per run.</summary>
    /// <param name="title">The chart title.</param>
    /// <param name="runs">Named loss histories.</param>
    public static Figure LossByStep(string title, params (string Name, IReadOnlyList<double> Losses)[] runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var traces = runs.Select(r =>
        {
            // A log axis cannot show zero or non-finite losses; draw up to the last positive finite one.
            var shown = r.Losses.TakeWhile(l => double.IsFinite(l)).Select(l => Math.Max(l, 1e-300)).ToArray();
            return (Trace)Trace.Line(r.Name, Enumerable.Range(0, shown.Length).Select(i => (double)i).ToArray(), shown);
        }).ToArray();
        return new Figure(title, traces) { YAxis = new Axis("loss (log scale)", Logarithmic: true), XAxis = new Axis("step") };
    }
}
