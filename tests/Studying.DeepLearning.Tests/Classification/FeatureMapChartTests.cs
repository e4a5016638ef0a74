using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Plotting;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.Classification;

[Trait("Tier", "unit")]
public class FeatureMapChartTests
{
    public FeatureMapChartTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void Draw_ScalesEachMapOnItsOwn_SignedMapsAroundMidGrey()
    {
        using var scope = NewDisposeScope();
        var plain = tensor(new float[] { 2, 4, 6, 10 }).reshape(2, 2);        // min 2 → black, max 10 → white
        var signed = tensor(new double[] { -3, 0, 1.5, 3, 0, 0 }).reshape(2, 3); // 0 → mid-grey, ±3 → white/black

        var figure = FeatureMapChart.Draw("maps", ("plain", plain), ("signed", signed));

        var image = Assert.IsType<ImageTrace>(Assert.Single(figure.Traces));
        Assert.Equal(2 + (2 + 2) + (3 + 2), image.Width);   // border, then each map followed by a border
        Assert.Equal(2 + 2 + 2, image.Height);              // the taller map (2 rows) between borders
        byte Pixel(int x, int y) => image.Rgb[(y * image.Width + x) * 3];
        Assert.Equal(255, Pixel(0, 0));                     // border
        Assert.Equal(0, Pixel(2, 2));                       // plain: 2 is its minimum
        Assert.Equal(64, Pixel(3, 2));                      // plain: 4 is a quarter of the way from 2 to 10
        Assert.Equal(255, Pixel(3, 3));                     // plain: 10 is its maximum
        Assert.Equal(0, Pixel(6, 2));                       // signed: −3
        Assert.Equal(128, Pixel(7, 2));                     // signed: 0 (127.5 rounds to 128)
        Assert.Equal(191, Pixel(8, 2));                     // signed: 1.5 → 127.5 + 63.75
        Assert.Equal(255, Pixel(6, 3));                     // signed: +3
        Assert.Equal(["plain", "signed"], figure.XAxis.Ticks!.Select(t => t.Label));
        Assert.Equal(2, plain.shape[0]);                    // the maps are not disposed
    }

    [Fact]
    public void Draw_RefusesWhatItCannotDraw()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => FeatureMapChart.Draw("none"));
        Assert.Contains("[1, 2, 2]", Assert.Throws<ArgumentException>(() => FeatureMapChart.Draw("3-D", ("m", zeros(1, 2, 2)))).Message, StringComparison.Ordinal);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => FeatureMapChart.Draw("nan", ("m", full(2, 2, double.NaN)))).Message, StringComparison.Ordinal);
        var constant = Assert.IsType<ImageTrace>(Assert.Single(FeatureMapChart.Draw("flat", ("m", ones(2, 2))).Traces));
        Assert.Equal(0, constant.Rgb[((2 * constant.Width) + 2) * 3]); // a constant map is black, not NaN
    }
}
