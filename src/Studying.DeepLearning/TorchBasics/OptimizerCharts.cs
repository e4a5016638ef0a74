using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>The charts of the optimiser section.</summary>
public static class OptimizerCharts
{
    /// <summary>
    /// Contour lines of the function (of log₁₀(1 + f − f*), so the valley floor shows) with each optimiser's path on
    /// top (clipped by the fixed axis ranges), and the start and minimum marked.
    /// </summary>
    /// <param name="function">The function.</param>
    /// <param name="paths">Paths taken on it.</param>
    public static Figure PathsOnContours(TestFunction function, IReadOnlyList<OptimizerPath> paths)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(paths);
        const int n = 101;
        var xs = Grid(function.XRange, n);
        var ys = Grid(function.YRange, n);
        var z = ys.Select(y => (IReadOnlyList<double>)xs.Select(x => Math.Log10(1 + function.Value(x, y) - function.MinimumValue)).ToArray()).ToArray();
        var traces = new List<Trace> { new ContourTrace($"log₁₀(1 + f − f*), {function.Formula}", xs, ys, z) };
        foreach (var path in paths)
        {
            var inside = Thin(path.Points.TakeWhile(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray()); // Plotly clips to the axis ranges
            traces.Add(new ScatterTrace(path.Optimizer.Label, inside.Select(p => p.X).ToArray(), inside.Select(p => p.Y).ToArray(), TraceMode.Lines));
        }
        traces.Add(Trace.Markers("start", [function.Start.X], [function.Start.Y]));
        traces.Add(Trace.Markers("minimum", [function.Minimum.X], [function.Minimum.Y]));
        return new Figure($"Optimiser paths on the {function.Name}", traces)
        {
            XAxis = new Axis("x", Range: function.XRange),
            YAxis = new Axis("y", Range: function.YRange),
        };
    }

    /// <summary>f − f* against step on a log scale, one line per optimiser.</summary>
    /// <param name="function">The function.</param>
    /// <param name="paths">Paths taken on it.</param>
    public static Figure GapByStep(TestFunction function, IReadOnlyList<OptimizerPath> paths)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(paths);
        var traces = paths.Select(path =>
        {
            var shown = path.Points.Where(p => double.IsFinite(p.Value)).ToArray();
            return (Trace)Trace.Line(path.Optimizer.Label, shown.Select(p => (double)p.Step).ToArray(),
                shown.Select(p => Math.Max(p.Value - path.MinimumValue, 1e-300)).ToArray());
        }).ToArray();
        return new Figure($"f − f* on the {function.Name}", traces) { XAxis = new Axis("step"), YAxis = new Axis("f − f* (log scale)", Logarithmic: true) };
    }

    /// <summary>The loss per step under each learning-rate schedule (log scale).</summary>
    /// <param name="runs">The schedules' runs.</param>
    public static Figure ScheduleLosses(IReadOnlyList<ScheduleRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var traces = runs.Select(r => (Trace)Trace.Line(r.Schedule, Steps(r.Losses.Count), r.Losses.Select(l => Math.Max(l, 1e-300)).ToArray())).ToArray();
        return new Figure("SGD on ½(x² + 25y²): loss under three learning-rate schedules", traces)
        { XAxis = new Axis("step"), YAxis = new Axis("f (log scale)", Logarithmic: true) };
    }

    /// <summary>The learning rate per step under each schedule.</summary>
    /// <param name="runs">The schedules' runs.</param>
    public static Figure ScheduleRates(IReadOnlyList<ScheduleRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var traces = runs.Select(r => (Trace)Trace.Line(r.Schedule, Steps(r.LearningRates.Count), r.LearningRates)).ToArray();
        return new Figure("Learning rate per step", traces).WithAxisTitles("step", "learning rate");
    }

    /// <summary>
    /// The points a path is drawn through: every point of the first <see cref="DrawnPathPoints"/> steps (where paths turn
    /// most), then evenly spaced ones, and always the last — so a 1,000-step path stays a small chart.
    /// </summary>
    private static PathPoint[] Thin(PathPoint[] points)
    {
        if (points.Length <= 2 * DrawnPathPoints)
            return points;
        var stride = (points.Length - DrawnPathPoints + DrawnPathPoints - 1) / DrawnPathPoints; // ⌈(n − kept) / kept⌉
        return [.. points.Take(DrawnPathPoints), .. points.Skip(DrawnPathPoints).Where((_, i) => i % stride == 0), points[^1]];
    }

    /// <summary>How many points of a path are drawn in full before the rest are thinned.</summary>
    public const int DrawnPathPoints = 150;

    private static double[] Steps(int count) => Enumerable.Range(0, count).Select(i => (double)i).ToArray();

    private static double[] Grid((double Min, double Max) range, int n) =>
        Enumerable.Range(0, n).Select(i => range.Min + (range.Max - range.Min) * i / (n - 1)).ToArray();
}
