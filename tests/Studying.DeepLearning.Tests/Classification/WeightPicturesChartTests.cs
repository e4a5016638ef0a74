using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Plotting;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.Classification;

[Trait("Tier", "unit")]
public class WeightPicturesChartTests
{
    [Fact]
    public void Draw_ColoursEachClassRow_RedPositiveBlueNegative_OnOneScale()
    {
        // Two classes of 1×2 "images": class 0 = [2, −1], class 1 = [0, −2]. Largest |w| = 2.
        using var weights = tensor(new float[] { 2, -1, 0, -2 }, [2, 2]);

        var figure = WeightPicturesChart.Draw(weights, height: 1, width: 2, ["a", "b"], border: 1);

        var image = Assert.IsType<ImageTrace>(Assert.Single(figure.Traces));
        Assert.Equal(2 * 3 + 1, image.Width);  // two pictures of width 2 + border, plus the closing border
        Assert.Equal(1 + 2, image.Height);
        (byte R, byte G, byte B) Pixel(int x, int y)
        {
            var at = (y * image.Width + x) * 3;
            return (image.Rgb[at], image.Rgb[at + 1], image.Rgb[at + 2]);
        }
        Assert.Equal(((byte)255, (byte)255, (byte)255), Pixel(0, 0)); // border
        Assert.Equal(((byte)255, (byte)0, (byte)0), Pixel(1, 1));     // +2: full red
        Assert.Equal(((byte)128, (byte)128, (byte)255), Pixel(2, 1)); // −1: half blue (255·(1 − ½) rounds to 128)
        Assert.Equal(((byte)255, (byte)255, (byte)255), Pixel(4, 1)); // 0: white
        Assert.Equal(((byte)0, (byte)0, (byte)255), Pixel(5, 1));     // −2: full blue
        Assert.Equal(["a", "b"], figure.XAxis.Ticks!.Select(t => t.Label));
    }

    [Fact]
    public void Draw_FillsRowsLeftToRight_AndNamesEachColumnsClassesTopDown()
    {
        // Three classes of 1×1 pictures in two columns: a b / c.
        using var weights = tensor(new float[] { 1, -1, 1 }, [3, 1]);

        var figure = WeightPicturesChart.Draw(weights, height: 1, width: 1, ["a", "b", "c"], columns: 2, border: 1);

        var image = Assert.IsType<ImageTrace>(Assert.Single(figure.Traces));
        Assert.Equal((2 * 2 + 1, 2 * 2 + 1), (image.Width, image.Height));
        byte Red(int x, int y) => image.Rgb[(y * image.Width + x) * 3];
        Assert.Equal(255, Red(1, 1)); // a: +1, red
        Assert.Equal(0, Red(3, 1));   // b: −1, blue (no red)
        Assert.Equal(255, Red(1, 3)); // c: second row, first column
        Assert.Equal(["a<br>c", "b"], figure.XAxis.Ticks!.Select(t => t.Label));
    }

    [Fact]
    public void Draw_RefusesAShapeThatDoesNotFitTheImagesOrTheClasses()
    {
        using var weights = zeros(10, 784);

        var transposed = Assert.Throws<ArgumentException>(() => WeightPicturesChart.Draw(weights.T, 28, 28, [.. Enumerable.Range(0, 10).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        Assert.Contains("[784, 10]", transposed.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => WeightPicturesChart.Draw(weights, 28, 28, ["only", "two"]));
    }
}
