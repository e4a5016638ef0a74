using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.GradientDescent;

/// <summary>
/// The mean squared error of the one-parameter model ŷ = a·x, and its derivative worked out by hand:
/// J(a) = (1/n) Σ (a·xᵢ − yᵢ)², so dJ/da = (2/n) Σ xᵢ (a·xᵢ − yᵢ).
/// </summary>
public static class SlopeLoss
{
    /// <summary>J(a) = (1/n) Σ (a·xᵢ − yᵢ)².</summary>
    /// <param name="slope">The parameter a.</param>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Targets, one per input.</param>
    public static double Value(double slope, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Validate(x, y);
        var sum = 0.0;
        for (var i = 0; i < x.Count; i++)
        {
            var error = slope * x[i] - y[i];
            sum += error * error;
        }
        return sum / x.Count;
    }

    /// <summary>dJ/da = (2/n) Σ xᵢ (a·xᵢ − yᵢ), the hand-derived gradient.</summary>
    /// <param name="slope">The parameter a.</param>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Targets, one per input.</param>
    public static double Gradient(double slope, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Validate(x, y);
        var sum = 0.0;
        for (var i = 0; i < x.Count; i++)
            sum += x[i] * (slope * x[i] - y[i]);
        return 2 * sum / x.Count;
    }

    /// <summary>
    /// The exact minimiser a* = Σ xᵢyᵢ / Σ xᵢ² (set dJ/da = 0 and solve), the answer gradient descent should reach.
    /// </summary>
    /// <param name="x">Inputs; not all zero.</param>
    /// <param name="y">Targets, one per input.</param>
    public static double ClosedFormSlope(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Validate(x, y);
        double xy = 0, xx = 0;
        for (var i = 0; i < x.Count; i++)
        {
            xy += x[i] * y[i];
            xx += x[i] * x[i];
        }
        if (xx == 0)
            throw new ArgumentException("Every input is zero, so every slope fits equally well; there is no unique minimum.", nameof(x));
        return xy / xx;
    }

    internal static void Validate(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Require.FiniteAndNonEmpty(x, nameof(x));
        Require.FiniteAndNonEmpty(y, nameof(y));
        Require.SameLength(x, y, nameof(x), nameof(y));
    }
}
