using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Tests.Classification;

[Trait("Tier", "unit")]
public sealed class AugmentationGridChartTests
{
    // Four grey 6×6 images, each with its own pattern (pixel = 10·image + position), so a shift or flip shows.
    private static ImageDataSet Toy()
    {
        var pixels = new byte[4 * 36];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)(1 + (i / 36) * 50 + i % 36);
        return new ImageDataSet("toy", pixels, [0, 1, 0, 1], 1, 6, 6, ["a", "b"]);
    }

    private static byte[] Cell(ImageTrace image, int row, int column, int border, int size)
    {
        var cell = new byte[size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
                cell[y * size + x] = image.Rgb[((border + row * (size + border) + y) * image.Width + border + column * (size + border) + x) * 3];
        }
        return cell;
    }

    [Fact]
    public void Draw_ShowsTheOriginalAndWhatEachEpochDelivers()
    {
        var data = Toy();
        var source = new ImageBatchSource(data, new ImageBatchOptions(2, Seed: 7, Augmentation: new ImageAugmentation(2, true), Prefetch: 0));

        var figure = AugmentationGridChart.Draw(source, [2, 0], epochs: 3, border: 1);

        var image = Assert.IsType<ImageTrace>(Assert.Single(figure.Traces));
        Assert.Equal(4 * 7 + 1, image.Width);
        Assert.Equal(2 * 7 + 1, image.Height);
        Assert.Equal(["original", "epoch 1", "epoch 2", "epoch 3"], figure.XAxis.Ticks!.Select(t => t.Label));
        Assert.Equal(data.Pixels.AsSpan(2 * 36, 36).ToArray(), Cell(image, 0, 0, 1, 6));
        Assert.Equal(data.Pixels.AsSpan(0, 36).ToArray(), Cell(image, 1, 0, 1, 6));
        for (var epoch = 1; epoch <= 3; epoch++)
        {
            var (order, choices) = source.PlanEpoch(epoch);
            foreach (var (row, index) in new[] { (0, 2), (1, 0) })
            {
                var choice = choices[Array.IndexOf(order, index)];
                var expected = ImageAugmentation.Apply(data.Pixels.AsSpan(index * 36, 36), 1, 6, 6, choice);
                Assert.Equal(expected, Cell(image, row, epoch, 1, 6));
            }
        }
        // With seven shifts per axis and a flip, three epochs of two images do not all come out unchanged.
        Assert.Contains(Enumerable.Range(1, 3), e => !Cell(image, 0, e, 1, 6).SequenceEqual(Cell(image, 0, 0, 1, 6)));
    }

    [Fact]
    public void Draw_WithoutAugmentation_RepeatsTheOriginal()
    {
        var source = new ImageBatchSource(Toy(), new ImageBatchOptions(2, Seed: 7, Prefetch: 0));

        var image = Assert.IsType<ImageTrace>(Assert.Single(AugmentationGridChart.Draw(source, [1], epochs: 2, border: 1).Traces));

        Assert.Equal(Cell(image, 0, 0, 1, 6), Cell(image, 0, 1, 1, 6));
        Assert.Equal(Cell(image, 0, 0, 1, 6), Cell(image, 0, 2, 1, 6));
    }

    [Fact]
    public void Draw_RefusesImagesOutsideTheData()
    {
        var source = new ImageBatchSource(Toy(), new ImageBatchOptions(2, Prefetch: 0));

        Assert.Throws<ArgumentException>(() => AugmentationGridChart.Draw(source, [4]));
        Assert.Throws<ArgumentException>(() => AugmentationGridChart.Draw(source, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => AugmentationGridChart.Draw(source, [0], epochs: 0));
    }
}
