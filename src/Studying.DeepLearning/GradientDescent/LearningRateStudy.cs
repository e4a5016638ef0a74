using Studying.DeepLearning.Infrastructure;
namespace Studying.DeepLearning.GradientDescent;

/// <summary>What a learning rate did to a full-batch run.</summary>
public enum LearningRateRegime
{
    /// <summary>Moved steadily towards the minimum but did not reach it within the epochs given.</summary>
    TooSmall,
    /// <summary>Reached the minimum without overshooting.</summary>
    Good,
    /// <summary>Overshot the minimum on every step, jumping from side to side (converging or not).</summary>
    Oscillating,
    /// <summary>The loss blew up; the run was stopped.</summary>
    Divergent,
}

/// <summary>One learning rate's run and its verdict.</summary>
/// <param name="LearningRate">The step size η.</param>
/// <param name="Regime">What happened.</param>
/// <param name="Run">The full path.</param>
public sealed record LearningRateResult(double LearningRate, LearningRateRegime Regime, DescentRun Run);

/// <summary>
/// The effect of the learning rate on full-batch gradient descent for ŷ = a·x. Because J is quadratic,
/// a − a* shrinks by the same factor r = 1 − 2ηm each step (m = mean of xᵢ²): the run creeps when r is near 1,
/// lands in one step when η = 1/(2m), oscillates when r &lt; 0, and diverges once η ≥ 1/m (|r| ≥ 1).
/// </summary>
public static class LearningRateStudy
{
    /// <summary>The learning rate 1/(2m) that reaches the minimum in a single full-batch step.</summary>
    /// <param name="x">Inputs, not all zero.</param>
    public static double OptimalRate(IReadOnlyList<double> x) => 1 / (2 * MeanSquare(x));

    /// <summary>The smallest learning rate 1/m at which full-batch descent no longer converges.</summary>
    /// <param name="x">Inputs, not all zero.</param>
    public static double DivergentRate(IReadOnlyList<double> x) => 1 / MeanSquare(x);

    /// <summary>Runs full-batch descent once per learning rate and classifies each run.</summary>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Targets.</param>
    /// <param name="learningRates">The rates to compare, each positive.</param>
    /// <param name="epochs">Epochs per run.</param>
    /// <param name="initialSlope">The common starting slope.</param>
    /// <param name="tolerance">A run counts as having reached the minimum when |a − a*| ≤ tolerance·max(1, |a*|).</param>
    public static IReadOnlyList<LearningRateResult> Compare(
        IReadOnlyList<double> x, IReadOnlyList<double> y, IEnumerable<double> learningRates,
        int epochs = 30, double initialSlope = 0, double tolerance = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(learningRates);
        var best = SlopeLoss.ClosedFormSlope(x, y);
        var results = new List<LearningRateResult>();
        foreach (var rate in learningRates)
        {
            var run = SlopeDescent.Run(x, y, new DescentOptions(rate, epochs, initialSlope, UpdateMode.FullBatch));
            results.Add(new LearningRateResult(rate, Classify(run, best, tolerance), run));
        }
        if (results.Count == 0)
            throw new ArgumentException("No learning rates were given.", nameof(learningRates));
        return results;
    }

    private static LearningRateRegime Classify(DescentRun run, double best, double tolerance)
    {
        if (run.Diverged)
            return LearningRateRegime.Divergent;
        var offsets = run.Path.Select(s => s.Slope - best).ToArray();
        var signChanges = 0;
        for (var i = 1; i < offsets.Length; i++)
        {
            if (Math.Sign(offsets[i]) * Math.Sign(offsets[i - 1]) < 0)
                signChanges++;
        }
        if (signChanges >= 2)
            return LearningRateRegime.Oscillating;
        var reached = Math.Abs(offsets[^1]) <= tolerance * Math.Max(1, Math.Abs(best));
        return reached ? LearningRateRegime.Good : LearningRateRegime.TooSmall;
    }

    private static double MeanSquare(IReadOnlyList<double> x)
    {
        Infrastructure.Require.FiniteAndNonEmpty(x, nameof(x));
        var m = x.Sum(v => v * v) / x.Count;
        if (m == 0)
            throw new ArgumentException("Every input is zero; the loss does not depend on the slope.", nameof(x));
        return m;
    }
}
