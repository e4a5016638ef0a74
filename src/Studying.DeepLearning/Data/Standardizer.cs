using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Data;

/// <summary>
/// Rescales each feature to zero mean and unit variance with statistics fitted on training data only
/// (fitting them on all the data would leak the test set into training). Also maps a model trained on
/// standardised features back to the original units.
/// </summary>
public sealed class Standardizer
{
    private Standardizer(double[] means, double[] deviations)
    {
        Means = means;
        StandardDeviations = deviations;
    }

    /// <summary>The training mean of each feature.</summary>
    public IReadOnlyList<double> Means { get; }

    /// <summary>The training standard deviation (population) of each feature.</summary>
    public IReadOnlyList<double> StandardDeviations { get; }

    /// <summary>Fits means and standard deviations on training features.</summary>
    /// <param name="trainingFeatures">One row per training sample.</param>
    /// <exception cref="ArgumentException">Empty or non-finite data, or a feature that never varies.</exception>
    public static Standardizer Fit(double[,] trainingFeatures)
    {
        ArgumentNullException.ThrowIfNull(trainingFeatures);
        Require.FiniteMatrix(trainingFeatures, trainingFeatures.GetLength(0), nameof(trainingFeatures));
        int n = trainingFeatures.GetLength(0), d = trainingFeatures.GetLength(1);
        var means = new double[d];
        var deviations = new double[d];
        for (var j = 0; j < d; j++)
        {
            var mean = 0.0;
            for (var i = 0; i < n; i++)
                mean += trainingFeatures[i, j];
            mean /= n;
            var variance = 0.0;
            for (var i = 0; i < n; i++)
                variance += (trainingFeatures[i, j] - mean) * (trainingFeatures[i, j] - mean);
            var deviation = Math.Sqrt(variance / n);
            if (deviation == 0)
                throw new ArgumentException($"Feature {j} has the same value in every training row; it cannot be standardised (drop it).", nameof(trainingFeatures));
            means[j] = mean;
            deviations[j] = deviation;
        }
        return new Standardizer(means, deviations);
    }

    /// <summary>Returns (x − mean) / deviation for every feature, using the training statistics.</summary>
    /// <param name="features">Rows with the same columns as the training data.</param>
    public double[,] Transform(double[,] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        Require.FiniteMatrix(features, features.GetLength(0), nameof(features));
        if (features.GetLength(1) != Means.Count)
            throw new ArgumentException($"Fitted on {Means.Count} features but given {features.GetLength(1)}.", nameof(features));
        var result = new double[features.GetLength(0), Means.Count];
        for (var i = 0; i < features.GetLength(0); i++)
        {
            for (var j = 0; j < Means.Count; j++)
                result[i, j] = (features[i, j] - Means[j]) / StandardDeviations[j];
        }
        return result;
    }
}
