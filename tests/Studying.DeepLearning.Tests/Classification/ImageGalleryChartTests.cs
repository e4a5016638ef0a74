using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Tests.Classification;

[Trait("Tier", "unit")]
public class ImageGalleryChartTests
{
    // Three grey 2×2 images: all 10, all 200, all 30.
    private static ImageDataSet Toy() => new("toy", [10, 10, 10, 10, 200, 200, 200, 200, 30, 30, 30, 30], [1, 0, 1], 1, 2, 2, ["zero", "one"]);

    [Fact]
    public void Draw_PutsTheChosenImagesSideBySide_InOrder_WithTheirCaptions()
    {
        var figure = ImageGalleryChart.Draw(Toy(), [2, 1], ["third<br>image", "second"], "two images", border: 1);

        var image = Assert.IsType<ImageTrace>(Assert.Single(figure.Traces));
        Assert.Equal(2 * 3 + 1, image.Width);
        Assert.Equal(2 + 2, image.Height);
        byte Pixel(int x, int y) => image.Rgb[(y * image.Width + x) * 3];
        Assert.Equal(255, Pixel(0, 0));     // border
        Assert.Equal(30, Pixel(1, 1));      // image 2 first
        Assert.Equal(200, Pixel(4, 2));     // then image 1
        Assert.Equal(["third<br>image", "second"], figure.XAxis.Ticks!.Select(t => t.Label));
        Assert.Equal([2.0, 5.0], figure.XAxis.Ticks!.Select(t => t.Position));
        Assert.Equal("two images", figure.Title);
    }

    [Fact]
    public void Draw_RefusesMismatchedCaptions_AndIndicesOutside()
    {
        var captions = Assert.Throws<ArgumentException>(() => ImageGalleryChart.Draw(Toy(), [0, 1], ["one caption"], "t"));
        Assert.Contains("2 captions", captions.Message, StringComparison.Ordinal);
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => ImageGalleryChart.Draw(Toy(), [3], ["x"], "t"));
        Assert.Contains("outside the 3 images", outside.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ImageGalleryChart.Draw(Toy(), [], [], "t"));
    }
}
