using System.Text.Json.Serialization;

namespace Studying.DeepLearning.Training;

/// <summary>A model's performance on one source, from <see cref="Trainer.Evaluate"/>.</summary>
/// <param name="ClassNames">The class names, indexed by class.</param>
/// <param name="SampleCount">Samples evaluated.</param>
/// <param name="Loss">Mean loss per sample.</param>
/// <param name="Accuracy">Fraction of samples whose logits' argmax is the target.</param>
/// <param name="ConfusionMatrix">Counts: [true class, predicted class].</param>
public sealed record EvaluationResult(IReadOnlyList<string> ClassNames, long SampleCount, double Loss, double Accuracy, [property: JsonIgnore] int[,] ConfusionMatrix)
{
    /// <summary>The confusion matrix as rows (one per true class), for JSON.</summary>
    public IReadOnlyList<IReadOnlyList<int>> ConfusionRows =>
        Enumerable.Range(0, ConfusionMatrix.GetLength(0))
            .Select(i => (IReadOnlyList<int>)Enumerable.Range(0, ConfusionMatrix.GetLength(1)).Select(j => ConfusionMatrix[i, j]).ToArray())
            .ToArray();

    /// <summary>Per class: correct ÷ samples of that true class (recall), or <see langword="null"/> if the source has none of it.</summary>
    public IReadOnlyList<double?> PerClassAccuracy =>
        Enumerable.Range(0, ConfusionMatrix.GetLength(0)).Select(i =>
        {
            long total = 0;
            for (var j = 0; j < ConfusionMatrix.GetLength(1); j++)
                total += ConfusionMatrix[i, j];
            return total == 0 ? (double?)null : (double)ConfusionMatrix[i, i] / total;
        }).ToArray();
}
