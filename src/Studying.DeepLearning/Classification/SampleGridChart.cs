using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.Data;

namespace Studying.DeepLearning.Classification;

/// <summary>
/// A grid of sample images, one column per class with its name underneath — the picture of a data set
/// (as the README's CIFAR-10 grid), drawn from the images actually loaded.
/// </summary>
public static class SampleGridChart
{
    /// <summary>Draws the first <paramref name="perClass"/> images of every class, one class per column.</summary>
    /// <param name="data">The images (grey or RGB).</param>
    /// <param name="perClass">Rows of the grid: images shown per class, 1 to 20.</param>
    /// <param name="border">White pixels between images.</param>
    /// <exception cref="ArgumentException">Too few images of some class, or an unsupported channel count.</exception>
    public static Figure Draw(ImageDataSet data, int perClass = 6, int border = 2)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(perClass, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(perClass, 20);
        ArgumentOutOfRangeException.ThrowIfNegative(border);
        if (data.Channels is not (1 or 3))
            throw new ArgumentException($"{data.Name} has {data.Channels} channels; the grid draws grey (1) or RGB (3) images.", nameof(data));

        var classes = data.ClassNames.Count;
        var chosen = new List<int>[classes];
        for (var k = 0; k < classes; k++)
            chosen[k] = [];
        for (var i = 0; i < data.Count && chosen.Any(c => c.Count < perClass); i++)
        {
            var label = data.Labels[i];
            if (chosen[label].Count < perClass)
                chosen[label].Add(i);
        }
        for (var k = 0; k < classes; k++)
        {
            if (chosen[k].Count < perClass)
                throw new ArgumentException($"{data.Name} has only {chosen[k].Count} images of class '{data.ClassNames[k]}'; the grid needs {perClass}.", nameof(data));
        }

        var grid = new TileGrid(classes, perClass, data.Width, data.Height, border);
        var canvas = grid.NewCanvas();
        for (var k = 0; k < classes; k++)
        {
            for (var r = 0; r < perClass; r++)
                canvas.Paste(data.Pixels.AsSpan(chosen[k][r] * data.ImageSize, data.ImageSize), data.Channels, data.Height, data.Width, grid.Left(k), grid.Top(r));
        }

        var ticks = Enumerable.Range(0, classes).Select(k => (grid.Centre(k), data.ClassNames[k])).ToArray();
        return new Figure($"{data.Name}: {perClass} samples of each class", canvas.ToTrace(data.Name))
        {
            XAxis = new Axis { Ticks = ticks },
            YAxis = new Axis { Ticks = [] },
            Width = Math.Max(600, grid.Width * 3),
            Height = Math.Max(300, grid.Height * 3 + 120),
        };
    }
}
