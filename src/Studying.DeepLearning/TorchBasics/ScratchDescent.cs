namespace Studying.DeepLearning.TorchBasics;

/// <summary>An update rule written in plain C#: given the parameters and their gradient, change the parameters in place.</summary>
public interface IScratchOptimizer
{
    /// <summary>Makes one update of <paramref name="parameters"/> from <paramref name="gradient"/>.</summary>
    /// <param name="parameters">The parameters, updated in place.</param>
    /// <param name="gradient">∂f/∂parameters at the current parameters, as many values as parameters.</param>
    void Update(double[] parameters, IReadOnlyList<double> gradient);
}

/// <summary>Runs a from-scratch optimiser on a <see cref="TestFunction"/> with the hand-written gradient — no TorchSharp involved.</summary>
public static class ScratchDescent
{
    /// <summary>Minimises <paramref name="function"/> from its start for <paramref name="steps"/> updates and returns the path (start first).</summary>
    /// <param name="function">The function.</param>
    /// <param name="optimizer">The update rule (its state starts fresh: pass a new instance).</param>
    /// <param name="steps">Updates to make; at least one.</param>
    public static IReadOnlyList<PathPoint> Run(TestFunction function, IScratchOptimizer optimizer, int steps)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (steps < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "At least one step is needed.");
        double[] p = [function.Start.X, function.Start.Y];
        var points = new List<PathPoint> { new(0, p[0], p[1], function.Value(p[0], p[1])) };
        for (var step = 1; step <= steps; step++)
        {
            var (dx, dy) = function.Gradient(p[0], p[1]);
            optimizer.Update(p, [dx, dy]);
            points.Add(new PathPoint(step, p[0], p[1], function.Value(p[0], p[1])));
        }
        return points;
    }

    internal static void CheckSizes(double[] parameters, IReadOnlyList<double> gradient, int stateSize)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradient);
        if (gradient.Count != parameters.Length)
            throw new ArgumentException($"There are {parameters.Length} parameters but {gradient.Count} gradient values; they must pair up one to one.", nameof(gradient));
        if (stateSize != 0 && stateSize != parameters.Length)
            throw new ArgumentException($"This optimiser was started on {stateSize} parameters and now gets {parameters.Length}; use a new instance per parameter vector.", nameof(parameters));
    }
}
