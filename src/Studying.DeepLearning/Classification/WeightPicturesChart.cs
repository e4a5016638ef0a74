using Studying.DeepLearning.Plotting;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Classification;

/// <summary>
/// The weights of a linear classifier on images, one picture per class: row k of the weight matrix (the 784 weights
/// that class k's logit gives the 784 pixels) drawn as a 28×28 image. Positive weights are red, negative blue, zero
/// white, on one colour scale for all classes — a softmax regression's "template" of each class.
/// </summary>
public static class WeightPicturesChart
{
    /// <summary>
    /// Draws each class's weights as an image in a grid of <paramref name="columns"/> columns; under each column the
    /// names of its classes, top row first.
    /// </summary>
    /// <param name="weights">The weights [classes, height·width] (the layout of <c>nn.Linear.weight</c>; pass Wᵀ for a W of [height·width, classes]). Not disposed here.</param>
    /// <param name="height">Rows of each image.</param>
    /// <param name="width">Columns of each image.</param>
    /// <param name="classNames">One name per class, as many as the rows of <paramref name="weights"/>.</param>
    /// <param name="columns">Pictures per row (rows are filled left to right, top to bottom); at least one.</param>
    /// <param name="border">White pixels between the pictures.</param>
    /// <exception cref="ArgumentException">A shape that does not fit the image size or the class names, or non-finite weights.</exception>
    public static Figure Draw(Tensor weights, int height, int width, IReadOnlyList<string> classNames, int columns = 5, int border = 2)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(border);
        if (weights.dim() != 2 || weights.shape[1] != (long)height * width || weights.shape[0] != classNames.Count)
            throw new ArgumentException($"The weights have shape [{string.Join(", ", weights.shape)}]; expected [{classNames.Count}, {(long)height * width}]: one row of {height}×{width} pixel weights per class name.", nameof(weights));
        if (!weights.is_floating_point())
            throw new ArgumentException($"The weights are {weights.dtype}; a floating-point tensor is expected.", nameof(weights));

        double[] values;
        using (var scope = NewDisposeScope())
            values = weights.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        if (!values.All(double.IsFinite))
            throw new ArgumentException("The weights contain NaN or infinite values; there is nothing to draw.", nameof(weights));
        var largest = values.Max(Math.Abs);
        var scale = largest > 0 ? 1 / largest : 0;

        var classes = classNames.Count;
        columns = Math.Min(columns, classes);
        var rows = (classes + columns - 1) / columns;
        var grid = new TileGrid(columns, rows, width, height, border);
        var canvas = grid.NewCanvas();
        for (var k = 0; k < classes; k++)
        {
            int left = grid.Left(k % columns), top = grid.Top(k / columns);
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var v = values[(k * height + y) * width + x] * scale; // in [−1, 1]
                    var fade = (byte)Math.Round(255 * (1 - Math.Abs(v)));
                    if (v >= 0)
                        canvas.Set(left + x, top + y, 255, fade, fade);
                    else
                        canvas.Set(left + x, top + y, fade, fade, 255);
                }
            }
        }

        // Under each column, its classes' names from the top row down (Plotly breaks tick labels at <br>).
        var ticks = Enumerable.Range(0, columns)
            .Select(c => (grid.Centre(c), string.Join("<br>", Enumerable.Range(0, rows).Select(r => r * columns + c).Where(k => k < classes).Select(k => classNames[k]))))
            .ToArray();
        var title = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Weights per class (red positive, blue negative; largest |w| = {largest:G3})");
        return new Figure(title, canvas.ToTrace("weights"))
        {
            XAxis = new Axis { Ticks = ticks },
            YAxis = new Axis { Ticks = [] },
        };
    }
}
