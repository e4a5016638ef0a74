using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.ResNet;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.ResNet;

/// <summary>ModelSummary.Of on arbitrary TorchSharp modules and shapes: one clear ArgumentException, never a bare native error.</summary>
[Trait("Tier", "unit")]
public class ModelSummaryInputTests
{
    public ModelSummaryInputTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void Of_MismatchedLinearInsideSequential_NamesTheLayerAndBothShapes()
    {
        // Linear(3→4) then Linear(5→2): libtorch alone says "mat1 and mat2 shapes cannot be multiplied (1x4 and 5x2)".
        using var model = nn.Sequential(("first", nn.Linear(3, 4)), ("second", nn.Linear(5, 2)));
        var e = Assert.Throws<ArgumentException>(() => ModelSummary.Of(model, [3]));
        Assert.Equal("inputShape", e.ParamName);
        Assert.Contains("Layer 'second' (Linear)", e.Message, StringComparison.Ordinal);
        Assert.Contains("last dimension is 5 (in_features), but got [1, 4]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_ConvolutionWithWrongChannels_NamesTheLayer()
    {
        using var model = nn.Sequential(("conv1", nn.Conv2d(3, 8, 3)), ("conv2", nn.Conv2d(4, 8, 3)));
        var e = Assert.Throws<ArgumentException>(() => ModelSummary.Of(model, [3, 16, 16]));
        Assert.Contains("Layer 'conv2' (Conv2d)", e.Message, StringComparison.Ordinal);
        Assert.Contains("takes 4 input channels (dimension 1), but got 8 in [1, 8, 14, 14]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_KernelLargerThanTheMap_NamesTheLayer()
    {
        using var model = nn.Sequential(("conv", nn.Conv2d(1, 2, 5)));
        var e = Assert.Throws<ArgumentException>(() => ModelSummary.Of(model, [1, 3, 3]));
        Assert.Contains("Layer 'conv' (Conv2d)", e.Message, StringComparison.Ordinal);
        Assert.Contains("kernel spans 5 positions but spatial dimension 2 of [1, 1, 3, 3] is 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_BatchNormWithWrongFeatures_NamesTheLayer()
    {
        // libtorch alone: "running_mean should contain 8 elements not 6".
        using var model = nn.Sequential(("conv", nn.Conv2d(1, 8, 3)), ("bn", nn.BatchNorm2d(6)));
        var e = Assert.Throws<ArgumentException>(() => ModelSummary.Of(model, [1, 8, 8]));
        Assert.Contains("Layer 'bn' (BatchNorm2d)", e.Message, StringComparison.Ordinal);
        Assert.Contains("[batch, 6, height, width], but got [1, 8, 6, 6]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_ModelThatIsItselfAMismatchedLinear_NamesTheModel()
    {
        using var model = nn.Linear(10, 2);
        var e = Assert.Throws<ArgumentException>(() => ModelSummary.Of(model, [7]));
        Assert.Contains("The model (Linear)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_UnknownLayerThatRejectsItsInput_IsNamedWithLibtorchsReason()
    {
        // MaxPool2d is not checked in C#: its native error is caught and the layer that raised it named.
        using var model = nn.Sequential(("conv", nn.Conv2d(1, 2, 1)), ("pool", nn.MaxPool2d(5)));
        var e = Assert.Throws<ArgumentException>(() => ModelSummary.Of(model, [1, 2, 2]));
        Assert.Contains("Layer 'pool' (MaxPool2d) rejected its input", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<System.Runtime.InteropServices.ExternalException>(e.InnerException);
    }

    [Theory]
    [InlineData(new long[] { 1L << 40, 1L << 40 }, "more than 67,108,864 elements")]
    [InlineData(new long[] { 1L << 62, 4, 4 }, "more than 67,108,864 elements")]
    [InlineData(new long[] { 3, 8193, 8193 }, "more than 67,108,864 elements")]
    [InlineData(new long[] { 1, 1, 1, 1, 1 }, "has 5 dimensions; at most 4")]
    public void Of_AbsurdShape_IsRefusedBeforeAnyAllocation(long[] shape, string expected)
    {
        using var model = nn.Sequential(("flat", nn.Flatten()));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ArgumentException>(() => ModelSummary.Of(model, shape));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
        Assert.Equal("inputShape", e.ParamName);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_Float64Model_IsProbedInItsOwnElementType()
    {
        // The probe's zeros take the parameters' dtype: before, a float64 Linear met float32 zeros and libtorch threw.
        using var model = nn.Sequential(("fc", nn.Linear(6, 3, dtype: ScalarType.Float64)));
        var summary = ModelSummary.Of(model, [6]);
        Assert.Equal([1L, 3], summary.Rows[0].OutputShape);
        Assert.Equal(21, summary.TotalParameters);
        Assert.Equal(18, summary.TotalMultiplyAdds);
    }
}
