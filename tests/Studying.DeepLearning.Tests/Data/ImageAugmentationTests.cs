using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Data;

namespace Studying.DeepLearning.Tests.Data;

[Trait("Tier", "unit")]
public class ImageAugmentationTests
{
    private const int C = 3, H = 5, W = 6;

    private static byte Value(int c, int y, int x) => (byte)(1 + c * 60 + y * 10 + x);

    private static byte[] Image() =>
        [.. Enumerable.Range(0, C * H * W).Select(i => Value(i / (H * W), i / W % H, i % W))];

    [Fact]
    public void Flip_IsTheMirrorOfTheOriginal()
    {
        var flipped = ImageAugmentation.Apply(Image(), C, H, W, new AugmentationChoice(0, 0, Flip: true));
        for (var c = 0; c < C; c++)
            for (var y = 0; y < H; y++)
                for (var x = 0; x < W; x++)
                    Assert.Equal(Value(c, y, W - 1 - x), flipped[(c * H + y) * W + x]);
    }

    [Theory]
    [InlineData(2, -1)]
    [InlineData(-2, 3)]
    [InlineData(0, 0)]
    public void Crop_IsAShiftedWindowWithZerosWherePaddingCameIn(int dy, int dx)
    {
        var cropped = ImageAugmentation.Apply(Image(), C, H, W, new AugmentationChoice(dy, dx, Flip: false));
        for (var c = 0; c < C; c++)
            for (var y = 0; y < H; y++)
                for (var x = 0; x < W; x++)
                {
                    int sy = y + dy, sx = x + dx;
                    var inside = sy >= 0 && sy < H && sx >= 0 && sx < W;
                    Assert.Equal(inside ? Value(c, sy, sx) : 0, cropped[(c * H + y) * W + x]);
                }
    }

    [Fact]
    public void CropThenFlip_MirrorsTheShiftedWindow()
    {
        var both = ImageAugmentation.Apply(Image(), C, H, W, new AugmentationChoice(1, 2, Flip: true));
        var crop = ImageAugmentation.Apply(Image(), C, H, W, new AugmentationChoice(1, 2, Flip: false));
        var mirrored = ImageAugmentation.Apply(crop, C, H, W, new AugmentationChoice(0, 0, Flip: true));
        Assert.Equal(mirrored, both);
    }

    [Fact]
    public void Choose_CoversEveryShiftInRangeAndBothFlips()
    {
        var random = new Random(1);
        var choices = Enumerable.Range(0, 2000).Select(_ => ImageAugmentation.Cifar.Choose(random)).ToArray();
        Assert.Equal(Enumerable.Range(-4, 9), choices.Select(c => c.ShiftY).Distinct().Order());
        Assert.Equal(Enumerable.Range(-4, 9), choices.Select(c => c.ShiftX).Distinct().Order());
        Assert.InRange(choices.Count(c => c.Flip), 850, 1150);
    }
}
