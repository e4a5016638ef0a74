using Studying.DeepLearning.GradientDescent;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>The charts of the autograd lesson, each drawn from a result record.</summary>
public static class AutogradCharts
{
    /// <summary>w and w.grad against update step, with and without zeroing the gradient (two charts).</summary>
    /// <param name="zeroed">The correct run.</param>
    /// <param name="accumulated">The run that never zeroes w.grad.</param>
    public static (Figure Weights, Figure Gradients) ZeroGrad(ManualTrainingRun zeroed, ManualTrainingRun accumulated)
    {
        ArgumentNullException.ThrowIfNull(zeroed);
        ArgumentNullException.ThrowIfNull(accumulated);
        static double[] Steps(ManualTrainingRun r) => [0, .. r.Updates.Select(u => (double)u.Step)];
        static double[] Weights(ManualTrainingRun r) => [r.Options.InitialWeight, .. r.Updates.Select(u => u.WeightAfter)];
        var last = Math.Max(zeroed.Updates.Count, accumulated.Updates.Count);
        var weights = new Figure("w during training: zeroing w.grad converges, accumulating it oscillates",
                new ScatterTrace("grad zeroed each step", Steps(zeroed), Weights(zeroed), TraceMode.LinesAndMarkers),
                new ScatterTrace("grad never zeroed", Steps(accumulated), Weights(accumulated), TraceMode.LinesAndMarkers),
                Trace.Line("w* = 2", [0, last], [2, 2]))
            .WithAxisTitles("update step", "w");
        var gradients = new Figure("w.grad used by each update",
                new ScatterTrace("grad zeroed each step", zeroed.Updates.Select(u => (double)u.Step).ToArray(), zeroed.Updates.Select(u => u.Gradient).ToArray(), TraceMode.LinesAndMarkers),
                new ScatterTrace("grad never zeroed (running sum)", accumulated.Updates.Select(u => (double)u.Step).ToArray(), accumulated.Updates.Select(u => u.Gradient).ToArray(), TraceMode.LinesAndMarkers))
            .WithAxisTitles("update step", "w.grad");
        return (weights, gradients);
    }

    /// <summary>The norm of ∂L/∂(node) for every node of a backpropagation pass.</summary>
    /// <param name="pass">The pass to draw.</param>
    public static Figure GradientNorms(BackpropPass pass)
    {
        ArgumentNullException.ThrowIfNull(pass);
        return new Figure("Backpropagation: size of ∂L/∂node for each node of the graph",
                new BarTrace("‖∂L/∂node‖", pass.Graph.Select(n => $"{n.Name} = {n.Operation}").ToArray(),
                    pass.Graph.Select(n => Math.Sqrt(n.Gradient.Sum(g => g * g))).ToArray()))
            .WithAxisTitles("node", "‖gradient‖ (Euclidean norm)");
    }

    /// <summary>Training loss per epoch of several quadratic-model runs (log scale).</summary>
    /// <param name="runs">Named runs.</param>
    public static Figure QuadraticLoss(params (string Name, QuadraticTrainingRun Run)[] runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return LossCharts.LossByStep("ŷ = w1·x + w2·x² + b: fixed update against the original's w2 = w1 − η·∂L/∂w2",
                runs.Select(r => (r.Name, (IReadOnlyList<double>)r.Run.History.Select(h => h.Loss).ToArray())).ToArray())
            with { XAxis = new Axis("epoch") };
    }
}
