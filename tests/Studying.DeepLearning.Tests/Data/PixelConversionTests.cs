using Studying.DeepLearning.Data;
using Studying.DeepLearning.Infrastructure;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.Data;

[Trait("Tier", "unit")]
public class PixelConversionTests
{
    public PixelConversionTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData(ScalarType.Byte)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Int32)]
    public void FloatSpan_OtherElementType_IsRefusedNamingIt(ScalarType dtype)
    {
        // Before, the bytes of any tensor were reinterpreted as floats: a Byte tensor of 8 gave a span of 2.
        using var t = zeros([2, 4], dtype);
        var e = Assert.Throws<ArgumentException>(() => PixelConversion.FloatSpan(t).Length);
        Assert.Equal("tensor", e.ParamName);
        Assert.Contains($"float32 tensors only; got a {dtype} tensor [2, 4]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FloatSpan_StridedView_IsRefused()
    {
        using var t = zeros([3, 4], ScalarType.Float32);
        using var view = t.t();
        var e = Assert.Throws<ArgumentException>(() => PixelConversion.FloatSpan(view).Length);
        Assert.Contains("strided view", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FloatSpan_Float32_WritesTheTensor()
    {
        using var t = zeros([2, 3], ScalarType.Float32);
        PixelConversion.FloatSpan(t)[4] = 2.5f;
        Assert.Equal(2.5f, t[1, 1].item<float>());
    }

    [Fact]
    public void Convert_SourceNotWholeImages_IsRefused()
    {
        var (scale, offset) = PixelConversion.ChannelAffine(3, null, null);
        var e = Assert.Throws<ArgumentException>(() => PixelConversion.Convert(new byte[10], new float[10], 4, 3, scale, offset));
        Assert.Contains("10 bytes are not whole images of 3 plane(s) of 4 pixels", e.Message, StringComparison.Ordinal);
    }
}
