using Studying.DeepLearning.Data;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Classification;

/// <summary>
/// What augmentation shows the model: a grid with one row per training image, its original in the first column and
/// then the version an <see cref="ImageBatchSource"/> delivers in each epoch (the source's own per-image crop and flip
/// of that epoch, from <see cref="ImageBatchSource.PlanEpoch"/>).
/// </summary>
public static class AugmentationGridChart
{
    /// <summary>Draws the chosen images of <paramref name="source"/> as they are and as epochs 1 … <paramref name="epochs"/> deliver them.</summary>
    /// <param name="source">The training source (with or without <see cref="ImageBatchOptions.Augmentation"/>).</param>
    /// <param name="images">Positions of the images in <see cref="ImageBatchSource.Data"/>, one row each (1 to 20).</param>
    /// <param name="epochs">Augmented columns after the original (1 to 20).</param>
    /// <param name="border">White pixels between images.</param>
    /// <exception cref="ArgumentException">No images or too many, a position outside the data, or an unsupported channel count.</exception>
    public static Figure Draw(ImageBatchSource source, IReadOnlyList<int> images, int epochs = 8, int border = 2)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(epochs, 20);
        ArgumentOutOfRangeException.ThrowIfNegative(border);
        var data = source.Data;
        if (images.Count is < 1 or > 20)
            throw new ArgumentException($"Draw 1 to 20 images, not {images.Count}.", nameof(images));
        foreach (var index in images)
        {
            if ((uint)index >= (uint)data.Count)
                throw new ArgumentException($"Image {index} is outside the {data.Count} images of {data.Name}.", nameof(images));
        }
        if (data.Channels is not (1 or 3))
            throw new ArgumentException($"{data.Name} has {data.Channels} channels; the grid draws grey (1) or RGB (3) images.", nameof(images));

        // choice[e][image]: the crop and flip epoch e gives each image (PlanEpoch lists them by position in the epoch's order).
        var choices = new AugmentationChoice[epochs][];
        for (var e = 0; e < epochs; e++)
        {
            var (order, planned) = source.PlanEpoch(e + 1);
            choices[e] = new AugmentationChoice[data.Count];
            for (var position = 0; position < order.Length; position++)
                choices[e][order[position]] = planned[position];
        }

        int columns = epochs + 1, rows = images.Count;
        var grid = new TileGrid(columns, rows, data.Width, data.Height, border);
        var canvas = grid.NewCanvas();
        for (var r = 0; r < rows; r++)
        {
            var original = data.Pixels.AsSpan(images[r] * data.ImageSize, data.ImageSize);
            for (var c = 0; c < columns; c++)
            {
                var pixels = c == 0 ? original : ImageAugmentation.Apply(original, data.Channels, data.Height, data.Width, choices[c - 1][images[r]]);
                canvas.Paste(pixels, data.Channels, data.Height, data.Width, grid.Left(c), grid.Top(r));
            }
        }

        var ticks = Enumerable.Range(0, columns).Select(c => (grid.Centre(c), c == 0 ? "original" : $"epoch {c}")).ToArray();
        var what = source.Options.Augmentation is { } a
            ? $"pad {a.Padding} + random crop{(a.HorizontalFlip ? " + random flip" : "")}"
            : "no augmentation";
        return new Figure($"{rows} training image{(rows == 1 ? "" : "s")} as epochs 1–{epochs} deliver them: {what}", canvas.ToTrace("augmented"))
        {
            XAxis = new Axis { Ticks = ticks },
            YAxis = new Axis { Ticks = [] },
            Width = Math.Max(600, grid.Width * 3),
            Height = Math.Max(300, grid.Height * 3 + 120),
        };
    }
}
