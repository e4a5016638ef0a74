namespace Studying.DeepLearning.Benchmarks;

/// <summary>The summary statistics the benchmarks report: one place, so every ratio is computed the same way.</summary>
public static class Statistics
{
    /// <summary>The median of a non-empty list (the mean of the two middle values for an even count).</summary>
    /// <param name="values">The samples.</param>
    /// <exception cref="ArgumentException">The list is empty.</exception>
    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
            throw new ArgumentException("The median of no values is undefined.", nameof(values));
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
