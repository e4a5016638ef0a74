using Studying.DeepLearning.Infrastructure;
namespace Studying.DeepLearning.GradientDescent;

/// <summary>How the parameter is updated: after every sample, or once per pass over all samples.</summary>
public enum UpdateMode
{
    /// <summary>Stochastic gradient descent: one update per sample, in order (as the original notebook 1-1).</summary>
    PerSample,
    /// <summary>Batch gradient descent: one update per epoch with the gradient of the mean loss.</summary>
    FullBatch,
}

/// <summary>Settings of a gradient-descent run on ŷ = a·x.</summary>
/// <param name="LearningRate">Step size η in a ← a − η·dJ/da; must be positive.</param>
/// <param name="Epochs">Passes over the data; at least one.</param>
/// <param name="InitialSlope">The starting value of a.</param>
/// <param name="Mode">Per-sample or full-batch updates.</param>
public sealed record DescentOptions(double LearningRate = 0.01, int Epochs = 100, double InitialSlope = 0, UpdateMode Mode = UpdateMode.FullBatch)
{
    /// <summary>
    /// The run is stopped as divergent when the loss exceeds this multiple of the initial loss (or stops being a
    /// finite number). The default, 10⁶, is far beyond anything a converging run reaches.
    /// </summary>
    public double DivergenceFactor { get; init; } = 1e6;

    internal void Validate()
    {
        Infrastructure.Require.Positive(LearningRate, nameof(LearningRate));
        if (Epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "At least one epoch is needed.");
        if (!double.IsFinite(InitialSlope))
            throw new ArgumentOutOfRangeException(nameof(InitialSlope), InitialSlope, "The starting slope must be a finite number.");
        if (!(DivergenceFactor > 1))
            throw new ArgumentOutOfRangeException(nameof(DivergenceFactor), DivergenceFactor, "Must be greater than 1.");
    }
}
