using System.Globalization;

namespace Studying.DeepLearning.Classification;

/// <summary>The tabular data sets embedded in the library (UCI data via scikit-learn; see Classification/Data/NOTICE.md).</summary>
public enum TabularSample
{
    /// <summary>Fisher's iris: 150 rows, 4 features, 3 classes.</summary>
    Iris,

    /// <summary>UCI wine recognition: 178 rows, 13 features, 3 classes.</summary>
    Wine,

    /// <summary>UCI breast cancer Wisconsin (diagnostic): 569 rows, 30 features, 2 classes (malignant, benign).</summary>
    BreastCancer,
}

/// <summary>
/// Reads scikit-learn's CSV format: the first line holds the row count, the feature count and the class names
/// (<c>178,13,class_0,class_1,class_2</c>); each following line holds the features and, last, the class index.
/// </summary>
public static class TabularCsv
{
    /// <summary>Loads one of the embedded data sets.</summary>
    /// <param name="sample">Which one.</param>
    public static TabularDataSet Load(TabularSample sample)
    {
        var file = sample switch
        {
            TabularSample.Iris => "iris.csv",
            TabularSample.Wine => "wine_data.csv",
            TabularSample.BreastCancer => "breast_cancer.csv",
            _ => throw new ArgumentOutOfRangeException(nameof(sample), sample, "Not an embedded data set."),
        };
        var resource = $"Studying.DeepLearning.Classification.Data.{file}";
        using var stream = typeof(TabularCsv).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is missing from the library.");
        using var reader = new StreamReader(stream);
        return Parse(reader, file);
    }

    /// <summary>Parses a CSV in scikit-learn's format.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="name">The file's name for errors and as the data set's name.</param>
    /// <exception cref="InvalidDataException">
    /// An empty file, a bad header (an empty class name), a ragged row, a non-numeric or non-finite value, a label that
    /// is not a class index, or a row count other than the header's (the message names the line, data row and column).
    /// Nothing is allocated from the header's counts before the rows are there.
    /// </exception>
    public static TabularDataSet Parse(TextReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(name);
        var header = reader.ReadLine() ?? throw new InvalidDataException($"{name}: the file is empty; line 1 should hold the row count, the feature count and the class names.");
        var head = header.Split(',');
        if (head.Length < 4 || !int.TryParse(head[0], NumberStyles.None, CultureInfo.InvariantCulture, out var rows) || rows <= 0
            || !int.TryParse(head[1], NumberStyles.None, CultureInfo.InvariantCulture, out var featureCount) || featureCount <= 0)
            throw new InvalidDataException($"{name}, line 1: '{Shorten(header)}' is not a header of the form 'rows,features,class name,class name,…' (at least two classes).");
        var classNames = head[2..].Select(c => c.Trim()).ToArray();
        var unnamed = Array.FindIndex(classNames, c => c.Length == 0);
        if (unnamed >= 0)
            throw new InvalidDataException($"{name}, line 1, column {unnamed + 3}: the class name is empty; the header is 'rows,features,class name,class name,…'.");
        // The header's counts are promises, not allocation sizes: rows are kept as they arrive and the matrix is built
        // once the file has proved them (a header claiming 2,000,000,000 rows costs nothing).
        var dataRows = new List<double[]>();
        var labels = new List<int>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            var cells = line.Split(',');
            if (cells.Length != featureCount + 1)
                throw new InvalidDataException($"{name}, line {lineNumber}: {cells.Length} values, but the header announces {featureCount} features and a label ({featureCount + 1} values) — data row {dataRows.Count + 1} is ragged.");
            if (dataRows.Count >= rows)
                throw new InvalidDataException($"{name}, line {lineNumber}: more data rows than the {rows} the header announces.");
            var values = new double[featureCount];
            for (var j = 0; j < featureCount; j++)
            {
                if (!double.TryParse(cells[j], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                    throw new InvalidDataException($"{name}, line {lineNumber}, column {j + 1}: '{Shorten(cells[j])}' is not a finite number (data row {dataRows.Count + 1}, feature {j + 1}).");
                values[j] = value;
            }
            var labelText = cells[featureCount];
            if (!int.TryParse(labelText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var label) || label >= classNames.Length)
                throw new InvalidDataException($"{name}, line {lineNumber}, column {featureCount + 1}: label '{Shorten(labelText)}' is not a class index 0–{classNames.Length - 1} ({string.Join(", ", classNames)}) (data row {dataRows.Count + 1}).");
            dataRows.Add(values);
            labels.Add(label);
        }
        if (dataRows.Count != rows)
            throw new InvalidDataException($"{name}: the header announces {rows} rows but the file has {dataRows.Count} (it ends at line {lineNumber}).");
        var features = new double[rows, featureCount];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < featureCount; j++)
                features[i, j] = dataRows[i][j];
        return new TabularDataSet(Path.GetFileNameWithoutExtension(name), features, [.. labels], classNames);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
