using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.GradientDescent;

/// <summary>A regression data set: a feature matrix with named columns and one target per row.</summary>
public sealed record RegressionData
{
    /// <summary>Creates a data set after checking that its parts fit together.</summary>
    /// <param name="featureNames">One name per column of <paramref name="features"/>.</param>
    /// <param name="features">One row per sample (finite).</param>
    /// <param name="targets">One target per row (finite).</param>
    /// <param name="targetName">What the target is.</param>
    public RegressionData(IReadOnlyList<string> featureNames, double[,] features, IReadOnlyList<double> targets, string targetName)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        Require.FiniteAndNonEmpty(targets, nameof(targets));
        Require.FiniteMatrix(features, targets.Count, nameof(features));
        if (featureNames.Count != features.GetLength(1))
            throw new ArgumentException($"{featureNames.Count} feature names for {features.GetLength(1)} columns.", nameof(featureNames));
        FeatureNames = featureNames;
        Features = features;
        Targets = targets;
        TargetName = targetName;
    }

    /// <summary>One name per feature column.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The features, one row per sample.</summary>
    public double[,] Features { get; }

    /// <summary>The targets, one per row.</summary>
    public IReadOnlyList<double> Targets { get; }

    /// <summary>What the target measures.</summary>
    public string TargetName { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Targets.Count;

    /// <summary>Splits off the last <paramref name="testFraction"/> of the rows (after a seeded shuffle) as a test set.</summary>
    /// <param name="testFraction">Between 0 and 1, exclusive.</param>
    /// <param name="seed">Seed of the shuffle, so the split is reproducible.</param>
    public (RegressionData Train, RegressionData Test) Split(double testFraction, int seed)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "Must be between 0 and 1, exclusive.");
        var order = Enumerable.Range(0, Count).ToArray();
        new Random(seed).Shuffle(order);
        var testCount = (int)Math.Round(Count * testFraction);
        if (testCount == 0 || testCount == Count)
            throw new ArgumentException($"A {testFraction:P0} split of {Count} rows leaves one side empty.", nameof(testFraction));
        return (Take(order[testCount..]), Take(order[..testCount]));
    }

    private RegressionData Take(int[] rows)
    {
        var d = Features.GetLength(1);
        var features = new double[rows.Length, d];
        var targets = new double[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            for (var j = 0; j < d; j++)
                features[i, j] = Features[rows[i], j];
            targets[i] = Targets[rows[i]];
        }
        return new RegressionData(FeatureNames, features, targets, TargetName);
    }
}

/// <summary>Reproducible data sets for chapter 1, generated from a known formula so the right answer is known.</summary>
public static class RegressionDataSets
{
    /// <summary>The features of <see cref="HousePrices"/>, with their units.</summary>
    public static IReadOnlyList<string> HouseFeatureNames { get; } =
        ["floor area (m²)", "bedrooms", "age (years)", "distance to centre (km)", "lot size (m²)"];

    /// <summary>The coefficients that generate <see cref="HousePrices"/> (price per unit of each feature), before noise.</summary>
    public static IReadOnlyList<double> HouseTrueWeights { get; } = [3_000, 10_000, -1_500, -4_000, 50];

    /// <summary>The base price that generates <see cref="HousePrices"/>.</summary>
    public const double HouseTrueBias = 50_000;

    /// <summary>
    /// Synthetic house prices with five features on very different scales (bedrooms 1–6, lot size 100–2,000 m²),
    /// price = 50,000 + Σ weightⱼ·featureⱼ + Gaussian noise (σ = 20,000). The original notebook's house-price CSV
    /// is not redistributable; this keeps its lesson — unscaled features make gradient descent diverge — while the
    /// true coefficients are known.
    /// </summary>
    /// <param name="count">Number of houses (at least 10).</param>
    /// <param name="seed">Random seed; the same seed gives the same data on every machine.</param>
    public static RegressionData HousePrices(int count = 500, int seed = 1)
    {
        if (count < 10)
            throw new ArgumentOutOfRangeException(nameof(count), count, "At least 10 houses are needed.");
        var random = new Random(seed);
        var features = new double[count, 5];
        var prices = new double[count];
        for (var i = 0; i < count; i++)
        {
            double[] row =
            [
                Math.Round(40 + 210 * random.NextDouble()),
                random.Next(1, 7),
                random.Next(0, 81),
                Math.Round(0.5 + 29.5 * random.NextDouble(), 1),
                Math.Round(100 + 1_900 * random.NextDouble()),
            ];
            var price = HouseTrueBias + 20_000 * NextGaussian(random);
            for (var j = 0; j < row.Length; j++)
            {
                features[i, j] = row[j];
                price += HouseTrueWeights[j] * row[j];
            }
            prices[i] = Math.Round(price);
        }
        return new RegressionData(HouseFeatureNames, features, prices, "price");
    }

    /// <summary>
    /// y = 2x² + x + 3 at <paramref name="count"/> points x ~ U(0, 1), with the features [x², x] (as notebook 1-3):
    /// a linear model on these features can fit the curve exactly (w = [2, 1], b = 3).
    /// </summary>
    /// <param name="count">Number of points (at least 3).</param>
    /// <param name="seed">Random seed.</param>
    public static RegressionData Quadratic(int count = 1000, int seed = 1)
    {
        if (count < 3)
            throw new ArgumentOutOfRangeException(nameof(count), count, "At least 3 points are needed to determine 3 coefficients.");
        var random = new Random(seed);
        var features = new double[count, 2];
        var targets = new double[count];
        for (var i = 0; i < count; i++)
        {
            var x = random.NextDouble();
            features[i, 0] = x * x;
            features[i, 1] = x;
            targets[i] = 2 * x * x + x + 3;
        }
        return new RegressionData(["x²", "x"], features, targets, "y");
    }

    private static double NextGaussian(Random random)
    {
        // Box–Muller: two uniforms on (0, 1] give one standard normal.
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
