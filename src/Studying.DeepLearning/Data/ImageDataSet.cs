using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Data;

/// <summary>
/// Images as read from disk: raw pixel bytes [count, channels, height, width] (channel planes, row-major), one
/// label byte per image, and the class names. Readers (<see cref="IdxReader"/>, <see cref="Cifar10Reader"/>) make
/// these; <see cref="ImageBatchSource"/> turns them into batches.
/// </summary>
public sealed record ImageDataSet
{
    /// <summary>Wraps pixels and labels after checking that they fit together.</summary>
    /// <param name="name">A name for messages, such as "fashion-mnist train".</param>
    /// <param name="pixels">count × channels × height × width bytes.</param>
    /// <param name="labels">One class index per image.</param>
    /// <param name="channels">Channels per image (1 for grey, 3 for RGB).</param>
    /// <param name="height">Rows per image.</param>
    /// <param name="width">Columns per image.</param>
    /// <param name="classNames">The class names, indexed by label.</param>
    /// <exception cref="ArgumentException">Sizes that do not match, or a label with no class name.</exception>
    public ImageDataSet(string name, byte[] pixels, byte[] labels, int channels, int height, int width, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (classNames.Count == 0)
            throw new ArgumentException("At least one class name is needed.", nameof(classNames));
        if ((long)labels.Length * channels * height * width != pixels.LongLength)
            throw new ArgumentException($"{name}: {labels.Length} labels need {(long)labels.Length * channels * height * width} pixel bytes ({channels}×{height}×{width} each) but there are {pixels.LongLength}.", nameof(pixels));
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classNames.Count)
                throw new ArgumentException($"{name}: label {labels[i]} of image {i} is not a class index (there are {classNames.Count} classes).", nameof(labels));
        }
        Name = name;
        Pixels = pixels;
        Labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        ClassNames = classNames;
    }

    /// <summary>A name for messages and reports.</summary>
    public string Name { get; }

    /// <summary>The raw pixels, [count, channels, height, width].</summary>
    public byte[] Pixels { get; }

    /// <summary>The class index of each image.</summary>
    public byte[] Labels { get; }

    /// <summary>Channels per image.</summary>
    public int Channels { get; }

    /// <summary>Rows per image.</summary>
    public int Height { get; }

    /// <summary>Columns per image.</summary>
    public int Width { get; }

    /// <summary>The class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Bytes per image: channels × height × width.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>The images at the given positions, in that order, as a new data set named "<see cref="Name"/> (<paramref name="part"/>)".</summary>
    /// <param name="indices">Positions in this data set (repeats allowed).</param>
    /// <param name="part">What the subset is, e.g. "training" or "test subset".</param>
    /// <exception cref="ArgumentOutOfRangeException">A position outside [0, <see cref="Count"/>).</exception>
    public ImageDataSet Subset(IReadOnlyList<int> indices, string part)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var pixels = new byte[(long)indices.Count * ImageSize];
        var labels = new byte[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            var index = indices[i];
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Position {i} of the subset is {index}, outside the {Count} images of {Name}.");
            Array.Copy(Pixels, (long)index * ImageSize, pixels, (long)i * ImageSize, ImageSize);
            labels[i] = Labels[index];
        }
        return new ImageDataSet($"{Name} ({part})", pixels, labels, Channels, Height, Width, ClassNames);
    }

    /// <summary>How many images each class has, indexed by class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassNames.Count];
        foreach (var label in Labels)
            counts[label]++;
        return counts;
    }

    /// <summary>The mean and (population) standard deviation of each channel, of pixels scaled to [0, 1].</summary>
    public (double[] Mean, double[] StandardDeviation) ChannelStatistics()
    {
        var plane = Height * Width;
        var sums = new long[Channels];
        var squares = new long[Channels];
        for (var i = 0; i < Count; i++)
        {
            for (var c = 0; c < Channels; c++)
            {
                var span = Pixels.AsSpan((i * Channels + c) * plane, plane);
                long s = 0, q = 0;
                foreach (var p in span)
                {
                    s += p;
                    q += p * p;
                }
                sums[c] += s;
                squares[c] += q;
            }
        }
        var n = (double)Count * plane;
        var mean = new double[Channels];
        var deviation = new double[Channels];
        for (var c = 0; c < Channels; c++)
        {
            mean[c] = sums[c] / n / 255.0;
            deviation[c] = Math.Sqrt(Math.Max(0, squares[c] / n / (255.0 * 255.0) - mean[c] * mean[c]));
        }
        return (mean, deviation);
    }

    /// <summary>
    /// All images as one float32 tensor [count, channels, height, width], pixels scaled to [0, 1] and then, if given,
    /// normalised per channel as (x − mean) / deviation. Converted with a vectorised loop straight into the tensor.
    /// </summary>
    /// <param name="mean">Per-channel means (of [0, 1] pixels), or null for none.</param>
    /// <param name="standardDeviation">Per-channel deviations, or null for none.</param>
    public Tensor ToTensor(IReadOnlyList<double>? mean = null, IReadOnlyList<double>? standardDeviation = null)
    {
        TorchRuntime.EnsureLoaded();
        var (scale, offset) = PixelConversion.ChannelAffine(Channels, mean, standardDeviation);
        var tensor = empty([Count, Channels, Height, Width], ScalarType.Float32);
        // Large sets convert on every core, each a contiguous run of whole images: writing a fresh 188 MB tensor is
        // bound by first-touch page faults as much as by arithmetic, and both split across cores.
        var parts = (long)Count * ImageSize >= 1 << 22 ? Math.Min(Environment.ProcessorCount, Count) : 1;
        Parallel.For(0, parts, part =>
        {
            int first = (int)((long)Count * part / parts), last = (int)((long)Count * (part + 1) / parts);
            var start = (long)first * ImageSize;
            var length = (int)((long)(last - first) * ImageSize);
            PixelConversion.Convert(Pixels.AsSpan((int)start, length), PixelConversion.FloatSpan(tensor).Slice((int)start, length), Height * Width, Channels, scale, offset);
        });
        return tensor;
    }

    /// <summary>The labels as an int64 tensor [count].</summary>
    public Tensor LabelTensor()
    {
        TorchRuntime.EnsureLoaded();
        return tensor(Array.ConvertAll(Labels, l => (long)l), ScalarType.Int64);
    }
}
