namespace Studying.DeepLearning.Data;

/// <summary>What augmentation does to one image: shift (a crop of the zero-padded image) and whether to mirror it.</summary>
/// <param name="ShiftY">Output row y shows input row y + ShiftY (zero where that falls outside).</param>
/// <param name="ShiftX">Output column x shows input column x + ShiftX before flipping.</param>
/// <param name="Flip">Mirror left–right after the crop.</param>
public readonly record struct AugmentationChoice(int ShiftY, int ShiftX, bool Flip)
{
    /// <summary>No change.</summary>
    public static AugmentationChoice None => default;
}

/// <summary>
/// Per-image random crop with zero padding and horizontal flip, decided separately for every image (TorchSharp's
/// transforms decide once per batch). Padding p means a 32×32 image is padded to (32+2p)² and a random 32×32
/// window is cut out: shifts of −p…p in each direction.
/// </summary>
/// <param name="Padding">Zero padding on each side (4 for 32×32, 2 for 28×28); 0 for no crop.</param>
/// <param name="HorizontalFlip">Mirror half of the images, at random.</param>
public sealed record ImageAugmentation(int Padding, bool HorizontalFlip)
{
    /// <summary>The usual CIFAR-10 recipe: pad 4, crop 32×32, flip.</summary>
    public static ImageAugmentation Cifar { get; } = new(4, true);

    /// <summary>For 28×28 images: pad 2, crop, flip.</summary>
    public static ImageAugmentation Mnist { get; } = new(2, true);

    /// <summary>Draws one image's choice.</summary>
    /// <param name="random">The random source (seeded by the caller).</param>
    public AugmentationChoice Choose(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(Padding);
        var dy = Padding == 0 ? 0 : random.Next(-Padding, Padding + 1);
        var dx = Padding == 0 ? 0 : random.Next(-Padding, Padding + 1);
        var flip = HorizontalFlip && random.Next(2) == 1;
        return new AugmentationChoice(dy, dx, flip);
    }

    /// <summary>Applies a choice to raw pixels [channels, height, width]; pixels that come from the padding are 0.</summary>
    /// <param name="image">One image's bytes.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="height">Rows.</param>
    /// <param name="width">Columns.</param>
    /// <param name="choice">The shift and flip.</param>
    public static byte[] Apply(ReadOnlySpan<byte> image, int channels, int height, int width, AugmentationChoice choice)
    {
        if (image.Length != channels * height * width)
            throw new ArgumentException($"The image has {image.Length} bytes but {channels}×{height}×{width} = {channels * height * width} were announced.", nameof(image));
        var identity = new float[256];
        for (var b = 0; b < 256; b++)
            identity[b] = b;
        var tables = Enumerable.Repeat(identity, channels).ToArray();
        var result = new float[image.Length];
        Write(image, channels, height, width, choice, tables, result);
        return Array.ConvertAll(result, v => (byte)v);
    }

    /// <summary>
    /// Writes one image, shifted and flipped per <paramref name="choice"/>, into <paramref name="destination"/> as
    /// floats through each channel's lookup table (so normalisation costs nothing extra; padding is byte 0's value).
    /// </summary>
    internal static void Write(ReadOnlySpan<byte> image, int channels, int height, int width, AugmentationChoice choice, float[][] tables, Span<float> destination)
    {
        var plane = height * width;
        for (var c = 0; c < channels; c++)
        {
            var table = tables[c];
            var source = image.Slice(c * plane, plane);
            var target = destination.Slice(c * plane, plane);
            var zero = table[0];
            for (var y = 0; y < height; y++)
            {
                var row = target.Slice(y * width, width);
                var sy = y + choice.ShiftY;
                if (sy < 0 || sy >= height)
                {
                    row.Fill(zero);
                    continue;
                }
                var sourceRow = source.Slice(sy * width, width);
                for (var x = 0; x < width; x++)
                {
                    var sx = (choice.Flip ? width - 1 - x : x) + choice.ShiftX;
                    row[x] = (uint)sx < (uint)width ? table[sourceRow[sx]] : zero;
                }
            }
        }
    }
}
