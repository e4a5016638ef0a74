using Studying.DeepLearning.GradientDescent;
using Studying.DeepLearning.Data;

namespace Studying.DeepLearning.Classification;

/// <summary>The number of rows of each class in one split.</summary>
/// <param name="Split">"train", "validation" or "test".</param>
/// <param name="Rows">Rows in the split.</param>
/// <param name="PerClass">Rows per class, indexed by class.</param>
/// <param name="Fractions">Each class's share of the split.</param>
public sealed record ClassBalance(string Split, int Rows, IReadOnlyList<int> PerClass, IReadOnlyList<double> Fractions);

/// <summary>
/// Training, validation and test rows, standardised with statistics fitted on the training rows only, and the class
/// balance of each split.
/// </summary>
/// <param name="Train">Standardised training rows.</param>
/// <param name="Validation">Standardised validation rows.</param>
/// <param name="Test">Standardised test rows.</param>
/// <param name="Scaler">The standardiser fitted on the training rows (chapter 1's).</param>
/// <param name="Balance">The class balance of train, validation and test.</param>
public sealed record TabularSplit(TabularDataSet Train, TabularDataSet Validation, TabularDataSet Test, Standardizer Scaler, IReadOnlyList<ClassBalance> Balance)
{
    /// <summary>
    /// Splits rows into train/validation/test, stratified by class (each class is shuffled with the seed and cut in
    /// the same proportions), then standardises every split with the training statistics.
    /// </summary>
    /// <param name="data">The rows.</param>
    /// <param name="validationFraction">The share of each class for validation (0 ≤ f &lt; 1).</param>
    /// <param name="testFraction">The share of each class for testing; the two shares sum to less than 1.</param>
    /// <param name="seed">Seeds the shuffle.</param>
    public static TabularSplit Create(TabularDataSet data, double validationFraction = 0.15, double testFraction = 0.15, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(validationFraction >= 0) || !(testFraction >= 0) || !(validationFraction + testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), $"Validation {validationFraction} and test {testFraction} must be ≥ 0 and sum to less than 1.");
        var random = new Random(seed);
        List<int> train = [], validation = [], test = [];
        for (var c = 0; c < data.ClassNames.Count; c++)
        {
            var rows = Enumerable.Range(0, data.Count).Where(i => data.Labels[i] == c).ToArray();
            random.Shuffle(rows);
            var nTest = (int)Math.Round(rows.Length * testFraction);
            var nValidation = (int)Math.Round(rows.Length * validationFraction);
            test.AddRange(rows[..nTest]);
            validation.AddRange(rows[nTest..(nTest + nValidation)]);
            train.AddRange(rows[(nTest + nValidation)..]);
        }
        // Interleave the classes (each split is otherwise sorted by class).
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(train));
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(validation));
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(test));
        if (train.Count == 0)
            throw new ArgumentException($"{data.Name}: no rows are left for training with these fractions.", nameof(data));

        var rawTrain = data.Subset(train, $"{data.Name} train");
        var scaler = Standardizer.Fit(rawTrain.Features);
        TabularDataSet Scaled(List<int> rows, string split)
        {
            var subset = data.Subset(rows, $"{data.Name} {split}");
            return rows.Count == 0 ? subset : subset with { Features = scaler.Transform(subset.Features) };
        }
        var parts = new[] { Scaled(train, "train"), Scaled(validation, "validation"), Scaled(test, "test") };
        string[] names = ["train", "validation", "test"];
        var balance = parts.Select((p, i) =>
        {
            var counts = p.ClassCounts();
            return new ClassBalance(names[i], p.Count, counts, counts.Select(n => p.Count == 0 ? 0 : (double)n / p.Count).ToArray());
        }).ToArray();
        return new TabularSplit(parts[0], parts[1], parts[2], scaler, balance);
    }
}
