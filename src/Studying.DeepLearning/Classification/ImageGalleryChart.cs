using Studying.DeepLearning.Data;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Classification;

/// <summary>
/// A row of chosen images, each with a caption underneath — e.g. a model's most confidently wrong test images with
/// their true and predicted classes. (<see cref="SampleGridChart"/> draws a data set's first images per class.)
/// </summary>
public static class ImageGalleryChart
{
    /// <summary>The most images one row shows.</summary>
    public const int MaxImages = 20;

    /// <summary>Draws the images at <paramref name="indices"/> side by side, in that order, each captioned underneath.</summary>
    /// <param name="data">The images (grey or RGB).</param>
    /// <param name="indices">Positions in <paramref name="data"/>, 1 to <see cref="MaxImages"/> of them.</param>
    /// <param name="captions">One caption per image; a line break is written <c>&lt;br&gt;</c>.</param>
    /// <param name="title">The chart title.</param>
    /// <param name="border">White pixels between images.</param>
    /// <exception cref="ArgumentException">No images or too many, captions that do not pair up with them, or an unsupported channel count.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index outside the data set.</exception>
    public static Figure Draw(ImageDataSet data, IReadOnlyList<int> indices, IReadOnlyList<string> captions, string title, int border = 2)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(captions);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentOutOfRangeException.ThrowIfNegative(border);
        if (indices.Count is 0 or > MaxImages)
            throw new ArgumentException($"The gallery shows 1 to {MaxImages} images; {indices.Count} were given.", nameof(indices));
        if (captions.Count != indices.Count)
            throw new ArgumentException($"{indices.Count} images need {indices.Count} captions, but {captions.Count} were given.", nameof(captions));
        if (data.Channels is not (1 or 3))
            throw new ArgumentException($"{data.Name} has {data.Channels} channels; the gallery draws grey (1) or RGB (3) images.", nameof(data));
        for (var i = 0; i < indices.Count; i++)
        {
            if ((uint)indices[i] >= (uint)data.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), indices[i], $"Image {i} of the gallery is {indices[i]}, outside the {data.Count} images of {data.Name}.");
        }

        var grid = new TileGrid(indices.Count, 1, data.Width, data.Height, border);
        var canvas = grid.NewCanvas();
        for (var k = 0; k < indices.Count; k++)
            canvas.Paste(data.Pixels.AsSpan(indices[k] * data.ImageSize, data.ImageSize), data.Channels, data.Height, data.Width, grid.Left(k), grid.Top(0));

        var ticks = Enumerable.Range(0, indices.Count).Select(k => (grid.Centre(k), captions[k])).ToArray();
        var lines = captions.Max(c => c.Split("<br>").Length);
        return new Figure(title, canvas.ToTrace(data.Name))
        {
            XAxis = new Axis { Ticks = ticks },
            YAxis = new Axis { Ticks = [] },
            Width = Math.Max(600, indices.Count * 100),
            Height = 100 + 100 * indices.Count * grid.Height / grid.Width + 18 * lines + 60,
        };
    }
}
