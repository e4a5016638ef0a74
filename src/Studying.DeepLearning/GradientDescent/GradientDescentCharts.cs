using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.GradientDescent;

/// <summary>The charts of chapter 1, each drawn from a result record.</summary>
public static class GradientDescentCharts
{
    /// <summary>
    /// The loss curve J(a) with the steps of a descent drawn on it (the picture of gradient descent:
    /// each step moves a downhill, by an amount proportional to the slope of J).
    /// </summary>
    /// <param name="run">The descent to draw.</param>
    /// <param name="x">The inputs it was run on.</param>
    /// <param name="y">The targets it was run on.</param>
    public static Figure DescentOnLossCurve(DescentRun run, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(run);
        var best = SlopeLoss.ClosedFormSlope(x, y);
        var finite = run.Path.Where(s => double.IsFinite(s.Loss)).ToArray();
        // Centre the parabola on its minimum, wide enough to show every step on either side.
        var half = 1.2 * finite.Max(s => Math.Abs(s.Slope - best)) + 0.1;
        var grid = Enumerable.Range(0, 201).Select(i => best - half + 2 * half * i / 200).ToArray();
        var curve = grid.Select(a => SlopeLoss.Value(a, x, y)).ToArray();
        return new Figure(
                $"Gradient descent on J(a), learning rate {run.Options.LearningRate}",
                Trace.Line("J(a) = mean (a·x − y)²", grid, curve),
                new ScatterTrace("steps", finite.Select(s => s.Slope).ToArray(), finite.Select(s => s.Loss).ToArray(), TraceMode.LinesAndMarkers),
                Trace.Markers($"minimum a* = {best:G4}", [best], [SlopeLoss.Value(best, x, y)]))
            .WithAxisTitles("a (slope)", "J(a) (mean squared error)");
    }

    /// <summary>The slope a against step for several learning rates: creeping, landing, oscillating, diverging.</summary>
    /// <param name="results">The study's results.</param>
    /// <param name="bestSlope">The exact minimiser a*, drawn as a reference line.</param>
    public static Figure LearningRates(IReadOnlyList<LearningRateResult> results, double bestSlope)
    {
        ArgumentNullException.ThrowIfNull(results);
        var traces = new List<Trace>();
        var steps = results.Max(r => r.Run.Path.Count);
        foreach (var result in results)
        {
            var path = result.Run.Path.Where(s => double.IsFinite(s.Slope)).ToArray();
            traces.Add(new ScatterTrace($"η = {result.LearningRate} ({result.Regime})",
                path.Select(s => (double)s.Step).ToArray(), path.Select(s => s.Slope).ToArray(), TraceMode.LinesAndMarkers));
        }
        traces.Add(Trace.Line("a*", [0, steps - 1], [bestSlope, bestSlope]));
        var range = results.SelectMany(r => r.Run.Path).Select(s => s.Slope).Where(double.IsFinite).ToArray();
        var span = Math.Max(Math.Abs(range.Min() - bestSlope), 1);
        return new Figure("The learning rate decides how a approaches a*", traces)
        {
            XAxis = new Axis("step"),
            YAxis = new Axis("a (slope)", Range: (bestSlope - Math.Min(span, 3 * Math.Abs(bestSlope) + 1), bestSlope + Math.Min(span, 3 * Math.Abs(bestSlope) + 1))),
        };
    }

    /// <summary>Two sets of coefficients side by side (a gradient-descent fit against the exact solution).</summary>
    /// <param name="title">Chart title.</param>
    /// <param name="names">One name per coefficient (the bias last).</param>
    /// <param name="fitted">The gradient-descent model.</param>
    /// <param name="exact">The least-squares model.</param>
    public static Figure CompareCoefficients(string title, IReadOnlyList<string> names, LinearModel fitted, LinearModel exact)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(fitted);
        ArgumentNullException.ThrowIfNull(exact);
        var labels = names.Append("bias").ToArray();
        return new Figure(title,
                new BarTrace("gradient descent", labels, fitted.Weights.Append(fitted.Bias).ToArray()),
                new BarTrace("exact least squares", labels, exact.Weights.Append(exact.Bias).ToArray()))
            .WithAxisTitles("coefficient", "value");
    }

    /// <summary>The quadratic data with the gradient-descent and exact fits drawn through it.</summary>
    /// <param name="data">The <see cref="RegressionDataSets.Quadratic"/> data (features [x², x]).</param>
    /// <param name="fitted">The gradient-descent model.</param>
    /// <param name="exact">The least-squares model.</param>
    public static Figure QuadraticFit(RegressionData data, LinearModel fitted, LinearModel exact)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(fitted);
        ArgumentNullException.ThrowIfNull(exact);
        var sample = Enumerable.Range(0, Math.Min(data.Count, 200)).ToArray();
        var grid = Enumerable.Range(0, 101).Select(i => i / 100.0).ToArray();
        return new Figure("y = 2x² + x + 3: data and fitted curves",
                Trace.Markers("data", sample.Select(i => data.Features[i, 1]).ToArray(), sample.Select(i => data.Targets[i]).ToArray()),
                Trace.Line("gradient descent", grid, grid.Select(v => fitted.Predict([v * v, v])).ToArray()),
                Trace.Line("exact least squares", grid, grid.Select(v => exact.Predict([v * v, v])).ToArray()))
            .WithAxisTitles("x", "y");
    }
}
