using Studying.DeepLearning.Data;

namespace Studying.DeepLearning.GradientDescent;

/// <summary>Chapter 1's bridge between <see cref="Standardizer"/> and <see cref="LinearModel"/>.</summary>
public static class StandardizedLinearModel
{
    /// <summary>
    /// Converts a model fitted on standardised features into the same predictions on raw features:
    /// wⱼ = w′ⱼ / σⱼ and b = b′ − Σ w′ⱼ μⱼ / σⱼ.
    /// </summary>
    /// <param name="scaler">The statistics the features were standardised with.</param>
    /// <param name="standardisedModel">A model whose inputs were <see cref="Standardizer.Transform"/>ed.</param>
    public static LinearModel ToOriginalUnits(this Standardizer scaler, LinearModel standardisedModel)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        ArgumentNullException.ThrowIfNull(standardisedModel);
        if (standardisedModel.Weights.Count != scaler.Means.Count)
            throw new ArgumentException($"The model has {standardisedModel.Weights.Count} weights but {scaler.Means.Count} features were standardised.", nameof(standardisedModel));
        var weights = new double[scaler.Means.Count];
        var bias = standardisedModel.Bias;
        for (var j = 0; j < weights.Length; j++)
        {
            weights[j] = standardisedModel.Weights[j] / scaler.StandardDeviations[j];
            bias -= weights[j] * scaler.Means[j];
        }
        return new LinearModel(weights, bias);
    }
}
