namespace Studying.DeepLearning.Infrastructure;

/// <summary>Argument checks shared by every chapter, so bad input fails early with a message that says what and where.</summary>
internal static class Require
{
    /// <summary>Throws unless <paramref name="values"/> is non-empty and every value is finite.</summary>
    public static void FiniteAndNonEmpty(IReadOnlyList<double> values, string paramName)
    {
        ArgumentNullException.ThrowIfNull(values, paramName);
        if (values.Count == 0)
            throw new ArgumentException("The data is empty; at least one value is needed.", paramName);
        for (var i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"Value at index {i} is {values[i]}; every value must be a finite number.", paramName);
        }
    }

    /// <summary>Throws unless both sequences have the same length.</summary>
    public static void SameLength(IReadOnlyList<double> x, IReadOnlyList<double> y, string xName, string yName)
    {
        if (x.Count != y.Count)
            throw new ArgumentException($"{xName} has {x.Count} values but {yName} has {y.Count}; they must pair up one to one.", yName);
    }

    /// <summary>Throws unless the matrix is non-empty, rectangular with <paramref name="rows"/> rows, and finite.</summary>
    public static void FiniteMatrix(double[,] matrix, int rows, string paramName)
    {
        ArgumentNullException.ThrowIfNull(matrix, paramName);
        if (matrix.GetLength(0) == 0 || matrix.GetLength(1) == 0)
            throw new ArgumentException("The feature matrix is empty; it needs at least one row and one column.", paramName);
        if (matrix.GetLength(0) != rows)
            throw new ArgumentException($"The feature matrix has {matrix.GetLength(0)} rows but there are {rows} targets; they must pair up one to one.", paramName);
        for (var i = 0; i < matrix.GetLength(0); i++)
        {
            for (var j = 0; j < matrix.GetLength(1); j++)
            {
                if (!double.IsFinite(matrix[i, j]))
                    throw new ArgumentException($"Feature [{i}, {j}] is {matrix[i, j]}; every value must be a finite number.", paramName);
            }
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and greater than zero.</summary>
    public static void Positive(double value, string paramName)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(paramName, value, "Must be a finite number greater than zero.");
    }
}
