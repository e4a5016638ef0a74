using Studying.DeepLearning.Training;
namespace Studying.DeepLearning.TorchBasics;

/// <summary>One point of an optimiser's path.</summary>
/// <param name="Step">Updates made so far (0 is the start).</param>
/// <param name="X">x after that many updates.</param>
/// <param name="Y">y after that many updates.</param>
/// <param name="Value">f(x, y) there.</param>
public sealed record PathPoint(int Step, double X, double Y, double Value);

/// <summary>The path an optimiser took on a <see cref="TestFunction"/>.</summary>
/// <param name="Function">The function's name.</param>
/// <param name="Optimizer">The optimiser and its settings.</param>
/// <param name="Points">The start and the point after every update; a divergent run ends at the step that blew up.</param>
/// <param name="LearningRates">The learning rate used by each update (changes under a scheduler).</param>
/// <param name="MinimumValue">f* of the function.</param>
/// <param name="Diverged">Whether the run was stopped because f became non-finite or exceeded 10⁶ × its starting value.</param>
public sealed record OptimizerPath(string Function, OptimizerSpec Optimizer, IReadOnlyList<PathPoint> Points, IReadOnlyList<double> LearningRates, double MinimumValue, bool Diverged)
{
    /// <summary>The last point reached.</summary>
    public PathPoint Final => Points[^1];

    /// <summary>
    /// The first step from which f − f* stays below <paramref name="tolerance"/> to the end of the run, or
    /// <see langword="null"/> if it never settles there (a divergent run never does). A path that merely passes
    /// close to the minimum and leaves again has not converged, so a lucky transit does not count.
    /// </summary>
    /// <param name="tolerance">The gap to f*; positive.</param>
    public int? StepsTo(double tolerance)
    {
        if (Diverged)
            return null;
        int? first = null;
        for (var i = Points.Count - 1; i >= 0 && Points[i].Value - MinimumValue < tolerance; i--)
            first = Points[i].Step;
        return first;
    }
}
