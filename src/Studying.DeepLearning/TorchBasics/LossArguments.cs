using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>
/// Checks of loss inputs, made in managed code before any native call: a shape or range error inside libtorch
/// either aborts the process or returns a silent NaN, so every loss validates its arguments here first.
/// </summary>
internal static class LossArguments
{
    /// <summary>Predictions and targets for an element-wise loss: non-empty, finite, paired one to one.</summary>
    public static void Elementwise(IReadOnlyList<double> prediction, IReadOnlyList<double> target, LossReduction reduction,
        string predictionName, string targetName)
    {
        Require.FiniteAndNonEmpty(prediction, predictionName);
        Require.FiniteAndNonEmpty(target, targetName);
        Require.SameLength(prediction, target, predictionName, targetName);
        Reduction(reduction);
    }

    /// <summary>Throws unless every value lies in [0, 1] (what binary cross-entropy needs of probabilities and targets).</summary>
    public static void UnitInterval(IReadOnlyList<double> values, string paramName, string what)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is < 0 or > 1)
                throw new ArgumentException($"{what} at index {i} is {values[i]}; it must lie in [0, 1].", paramName);
        }
    }

    /// <summary>A score matrix (one row per sample, one column per class) and one class index per row.</summary>
    public static void ClassScores(double[,] scores, IReadOnlyList<int> classes, LossReduction reduction, string scoresName, string classesName)
    {
        ArgumentNullException.ThrowIfNull(classes, classesName);
        ArgumentNullException.ThrowIfNull(scores, scoresName);
        int rows = scores.GetLength(0), count = scores.GetLength(1);
        if (rows == 0 || count == 0)
            throw new ArgumentException($"The scores are {rows} × {count}; at least one sample (row) and one class (column) are needed.", scoresName);
        if (rows != classes.Count)
            throw new ArgumentException($"The scores have {rows} rows (samples) but there are {classes.Count} class labels; they must pair up one to one.", classesName);
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < count; j++)
            {
                if (!double.IsFinite(scores[i, j]))
                    throw new ArgumentException($"Score [{i}, {j}] is {scores[i, j]}; every score must be a finite number.", scoresName);
            }
        }
        for (var i = 0; i < classes.Count; i++)
        {
            if (classes[i] < 0 || classes[i] >= count)
                throw new ArgumentOutOfRangeException(classesName, classes[i],
                    $"Class label at index {i} is {classes[i]}, but the scores have {count} column{(count == 1 ? "" : "s")}: labels must lie in [0, {count - 1}].");
        }
        Reduction(reduction);
    }

    /// <summary>Throws unless <paramref name="reduction"/> is a defined value.</summary>
    public static void Reduction(LossReduction reduction)
    {
        if (!Enum.IsDefined(reduction))
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Use LossReduction.Mean or LossReduction.Sum.");
    }
}
