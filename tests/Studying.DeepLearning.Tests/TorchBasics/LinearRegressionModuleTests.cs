using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.TorchBasics;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.TorchBasics;

[Trait("Tier", "unit")]
public class LinearRegressionModuleTests
{
    public LinearRegressionModuleTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void Forward_Column_GivesWxPlusB()
    {
        using var model = new LinearRegressionModule();
        var (w, b) = (model.parameters().First().item<double>(), model.parameters().Last().item<double>());
        using var y = model.call(tensor(new[] { 1.0, 2.0, -3.0 }, [3, 1], ScalarType.Float64));
        Assert.Equal([3L, 1], y.shape);
        Assert.Equal([w + b, 2 * w + b, -3 * w + b], y.data<double>().ToArray());
    }

    [Theory]
    [InlineData(new long[] { 3 }, "1 dimension(s) [3]")]
    [InlineData(new long[] { 3, 2 }, "dimension 1 (features) is 2, not 1")]
    [InlineData(new long[] { 2, 1, 1 }, "3 dimension(s) [2, 1, 1]")]
    [InlineData(new long[] { 0, 1 }, "empty batch [0, 1]")]
    public void Forward_WrongShape_NamesParameterExpectedAndActual(long[] shape, string expected)
    {
        using var model = new LinearRegressionModule();
        using var x = zeros(shape, ScalarType.Float64);
        var e = Assert.Throws<ArgumentException>(() => model.call(x));
        Assert.Equal("input", e.ParamName);
        Assert.Contains("LinearRegressionModule", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_WrongDtype_SaysWhichToConvertTo()
    {
        using var model = new LinearRegressionModule();
        using var x = zeros([4, 1], ScalarType.Float32);
        var e = Assert.Throws<ArgumentException>(() => model.call(x));
        Assert.Contains("Float64 parameters but got a Float32 input [4, 1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_OtherDevice_IsRejectedBeforeTheNativeCall()
    {
        // The meta device stands in for a GPU on a CPU-only machine: libtorch would silently compute a meta result.
        using var model = new LinearRegressionModule();
        using var x = zeros([4, 1], ScalarType.Float64, device: torch.device("meta"));
        var e = Assert.Throws<ArgumentException>(() => model.call(x));
        Assert.Equal("input", e.ParamName);
        Assert.Contains("parameters are on cpu but the input [4, 1] is on meta", e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
