using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.GradientDescent;

/// <summary>A fitted linear model ŷ = w·x + b.</summary>
/// <param name="Weights">One weight per feature.</param>
/// <param name="Bias">The intercept b.</param>
public sealed record LinearModel(IReadOnlyList<double> Weights, double Bias)
{
    /// <summary>Predicts ŷ for one row of features.</summary>
    /// <param name="features">As many values as there are weights.</param>
    public double Predict(IReadOnlyList<double> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Count != Weights.Count)
            throw new ArgumentException($"The model has {Weights.Count} weights but {features.Count} features were given.", nameof(features));
        var sum = Bias;
        for (var j = 0; j < features.Count; j++)
            sum += Weights[j] * features[j];
        return sum;
    }

    /// <summary>The mean squared error over a data set.</summary>
    /// <param name="features">One row per sample.</param>
    /// <param name="targets">One target per row.</param>
    public double MeanSquaredError(double[,] features, IReadOnlyList<double> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        Require.FiniteMatrix(features, targets.Count, nameof(features));
        var sum = 0.0;
        var row = new double[features.GetLength(1)];
        for (var i = 0; i < targets.Count; i++)
        {
            for (var j = 0; j < row.Length; j++)
                row[j] = features[i, j];
            var error = Predict(row) - targets[i];
            sum += error * error;
        }
        return sum / targets.Count;
    }
}

/// <summary>
/// The exact least-squares fit min ‖Xw + b − y‖², solved by Householder QR in double precision (more stable than
/// forming the normal equations XᵀX, whose condition number is the square of X's). The reference every
/// gradient-descent fit in this chapter is compared with.
/// </summary>
public static class LeastSquares
{
    /// <summary>Fits weights and an intercept.</summary>
    /// <param name="features">One row per sample, one column per feature (finite).</param>
    /// <param name="targets">One target per row (finite).</param>
    /// <exception cref="ArgumentException">Empty, mismatched or non-finite data, fewer rows than unknowns, or
    /// columns that are linearly dependent (no unique solution).</exception>
    public static LinearModel Fit(double[,] features, IReadOnlyList<double> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        Require.FiniteAndNonEmpty(targets, nameof(targets));
        Require.FiniteMatrix(features, targets.Count, nameof(features));
        int n = features.GetLength(0), d = features.GetLength(1), p = d + 1;
        if (n < p)
            throw new ArgumentException($"{n} samples cannot determine {p} unknowns ({d} weights and a bias).", nameof(features));

        // A = [X | 1], then A = QR by Householder reflections applied in place, Qᵀy alongside.
        var a = new double[n, p];
        var rhs = targets.ToArray();
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
                a[i, j] = features[i, j];
            a[i, d] = 1;
        }
        var scale = 0.0;
        foreach (var v in a)
            scale = Math.Max(scale, Math.Abs(v));
        for (var k = 0; k < p; k++)
        {
            var norm = 0.0;
            for (var i = k; i < n; i++)
                norm += a[i, k] * a[i, k];
            norm = Math.Sqrt(norm);
            if (norm <= 1e-12 * scale * Math.Sqrt(n))
                throw new ArgumentException($"Column {k} {(k == d ? "(the bias)" : "")} is a linear combination of the others; the least-squares solution is not unique.", nameof(features));
            var alpha = a[k, k] > 0 ? -norm : norm;
            var v = new double[n];
            v[k] = a[k, k] - alpha;
            for (var i = k + 1; i < n; i++)
                v[i] = a[i, k];
            var vv = 0.0;
            for (var i = k; i < n; i++)
                vv += v[i] * v[i];
            for (var j = k; j < p; j++)
                Reflect(j);
            var dot = 0.0;
            for (var i = k; i < n; i++)
                dot += v[i] * rhs[i];
            for (var i = k; i < n; i++)
                rhs[i] -= 2 * dot / vv * v[i];

            void Reflect(int column)
            {
                var s = 0.0;
                for (var i = k; i < n; i++)
                    s += v[i] * a[i, column];
                for (var i = k; i < n; i++)
                    a[i, column] -= 2 * s / vv * v[i];
            }
        }

        // Back-substitution R·w = (Qᵀy)[0..p).
        var w = new double[p];
        for (var k = p - 1; k >= 0; k--)
        {
            var s = rhs[k];
            for (var j = k + 1; j < p; j++)
                s -= a[k, j] * w[j];
            w[k] = s / a[k, k];
        }
        return new LinearModel(w[..d], w[d]);
    }
}
