using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.Data;

namespace Studying.DeepLearning.Tests.Classification;

[Trait("Tier", "unit")]
public class SampleGridChartTests
{
    [Fact]
    public void Draw_PutsEachClassInItsColumn_WithItsNameUnderneath()
    {
        // Three grey 2×2 images: class 1 (all 10), class 0 (all 200), class 1 (all 30).
        byte[] pixels = [10, 10, 10, 10, 200, 200, 200, 200, 30, 30, 30, 30];
        var data = new ImageDataSet("toy", pixels, [1, 0, 1], 1, 2, 2, ["zero", "one"]);

        var figure = SampleGridChart.Draw(data, perClass: 1, border: 1);

        var image = Assert.IsType<ImageTrace>(Assert.Single(figure.Traces));
        Assert.Equal(2 * 3 + 1, image.Width);   // two columns of 2 + border, plus the closing border
        Assert.Equal(1 * 3 + 1, image.Height);
        byte Pixel(int x, int y) => image.Rgb[(y * image.Width + x) * 3];
        Assert.Equal(255, Pixel(0, 0));          // border
        Assert.Equal(200, Pixel(1, 1));          // class 0's first image
        Assert.Equal(10, Pixel(4, 1));           // class 1's first image (not the later 30)
        Assert.Equal(["zero", "one"], figure.XAxis.Ticks!.Select(t => t.Label));
    }

    [Fact]
    public void Draw_WithTooFewImagesOfAClass_SaysWhichClass()
    {
        var data = new ImageDataSet("toy", new byte[8], [0, 0], 1, 2, 2, ["zero", "one"]);

        var error = Assert.Throws<ArgumentException>(() => SampleGridChart.Draw(data, perClass: 1));
        Assert.Contains("'one'", error.Message, StringComparison.Ordinal);
    }
}
