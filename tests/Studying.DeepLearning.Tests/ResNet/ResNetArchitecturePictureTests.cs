using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.ResNet;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Tests.ResNet;

[Trait("Tier", "unit")]
public class ResNetArchitecturePictureTests
{
    public ResNetArchitecturePictureTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void Of_ResNet18_ReadsStagesSizesAndShortcutsFromTheModel()
    {
        using var model = ResNetModel.ResNet18();
        var picture = ResNetArchitecturePicture.Of(model);

        Assert.Equal([2, 2, 2, 2], picture.BlocksPerStage);
        Assert.Equal((64L, 56L), (picture.StemChannels, picture.StemOutputSize));
        Assert.Equal([64, 64, 128, 128, 256, 256, 512, 512], picture.Blocks.Select(b => b.OutChannels));
        Assert.Equal([56L, 56, 28, 28, 14, 14, 7, 7], picture.Blocks.Select(b => b.OutputSize));
        Assert.Equal(["identity", "identity", "projection", "identity", "projection", "identity", "projection", "identity"], picture.Blocks.Select(b => b.Shortcut));
        Assert.Equal(11_689_512, picture.Parameters);

        var figure = picture.Figures["architecture"];
        var bars = figure.Traces.Cast<BarTrace>().ToList();
        Assert.Equal(5, bars.Count); // stem + four stages, one colour each
        Assert.Equal([1, 2, 2, 2, 2], bars.Select(b => b.Values.Count));
        Assert.Equal([64.0, 64, 64, 128, 128, 256, 256, 512, 512], bars.SelectMany(b => b.Values));
        Assert.Equal(["64", "128", "256", "512"], figure.YAxis.Ticks!.Select(t => t.Label));
    }

    [Fact]
    public void Run_ResNet50_HasBottlenecksThreeFourSixThree()
    {
        var picture = ResNetArchitecturePicture.Run("resnet50");

        Assert.Equal([3, 4, 6, 3], picture.BlocksPerStage);
        Assert.All(picture.Blocks, b => Assert.Equal("Bottleneck", b.Type));
        Assert.Equal(4, picture.Blocks.Count(b => b.Shortcut == "projection")); // the first block of every stage (64 → 256 in stage 1)
        Assert.Equal(2048, picture.Blocks[^1].OutChannels);
        Assert.Equal(25_557_032, picture.Parameters);
        Assert.Equal([3, 4, 6, 3], picture.Figures["architecture"].Traces.Skip(1).Cast<BarTrace>().Select(b => b.Values.Count));
    }

    [Fact]
    public void Run_CifarResNet20_ZeroPaddingShortcuts_PlainHasNone()
    {
        var resnet = ResNetArchitecturePicture.Run("resnet20", 3, 10);
        Assert.Equal([3, 3, 3], resnet.BlocksPerStage);
        Assert.Equal(2, resnet.Blocks.Count(b => b.Shortcut == "zero-padding"));
        Assert.Equal(32, resnet.ImageSize);
        var plain = ResNetArchitecturePicture.Run("plain20", 3, 10);
        Assert.All(plain.Blocks, b => Assert.Equal("none", b.Shortcut));
    }
}
