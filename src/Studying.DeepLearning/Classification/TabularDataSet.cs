namespace Studying.DeepLearning.Classification;

/// <summary>Rows of numeric features with a class index each.</summary>
/// <param name="Name">A name for messages and reports.</param>
/// <param name="Features">One row per sample.</param>
/// <param name="Labels">The class index of each row.</param>
/// <param name="ClassNames">The class names, indexed by class.</param>
public sealed record TabularDataSet(string Name, double[,] Features, int[] Labels, IReadOnlyList<string> ClassNames)
{
    /// <summary>The number of rows.</summary>
    public int Count => Labels.Length;

    /// <summary>The number of features per row.</summary>
    public int FeatureCount => Features.GetLength(1);

    /// <summary>How many rows each class has, indexed by class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassNames.Count];
        foreach (var label in Labels)
            counts[label]++;
        return counts;
    }

    /// <summary>The rows at the given indices, in that order.</summary>
    /// <param name="indices">Row indices.</param>
    /// <param name="name">The subset's name.</param>
    public TabularDataSet Subset(IReadOnlyList<int> indices, string name)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var features = new double[indices.Count, FeatureCount];
        var labels = new int[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            for (var j = 0; j < FeatureCount; j++)
                features[i, j] = Features[indices[i], j];
            labels[i] = Labels[indices[i]];
        }
        return new TabularDataSet(name, features, labels, ClassNames);
    }
}
