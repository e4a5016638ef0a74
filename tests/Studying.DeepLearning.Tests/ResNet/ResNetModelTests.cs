using Studying.DeepLearning.Classification;
using Studying.DeepLearning.ResNet;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Tests.ResNet;

[Trait("Tier", "unit")]
public class ResNetModelTests
{
    public ResNetModelTests() => TorchRuntime.EnsureLoaded();

    private static long Count(nn.Module module) => ClassifierModels.CountParameters(module);

    [Fact]
    public void ImageNetResNets_HaveTorchvisionsParameterCounts()
    {
        using var resnet18 = ResNetModel.ResNet18();
        Assert.Equal(11_689_512, Count(resnet18));
        using var resnet34 = ResNetModel.ResNet34();
        Assert.Equal(21_797_672, Count(resnet34));
        using var resnet50 = ResNetModel.ResNet50();
        Assert.Equal(25_557_032, Count(resnet50));
        // Only the classifier depends on the class count: 512·10 + 10 instead of 512·1000 + 1000.
        using var resnet18Ten = ResNetModel.ResNet18(classes: 10);
        Assert.Equal(11_181_642, Count(resnet18Ten));
        Assert.Equal(11_689_512 - (512 * 1000 + 1000) + (512 * 10 + 10), Count(resnet18Ten));
        // Only the stem's 7×7 convolution depends on the input channels: 49·64 per channel.
        using var resnet18Grey = ResNetModel.ResNet18(inputChannels: 1, classes: 10);
        Assert.Equal(11_181_642 - 2 * 49 * 64, Count(resnet18Grey));
    }

    [Fact]
    public void Depths_CountWeightedLayers()
    {
        using var resnet18 = ResNetModel.ResNet18(classes: 10);
        using var resnet50 = ResNetModel.ResNet50(classes: 10);
        using var cifar = ResNetModel.CifarResNet18();
        Assert.Equal(18, resnet18.Depth);
        Assert.Equal(50, resnet50.Depth);
        Assert.Equal(18, cifar.Depth);
        Assert.Equal(512, resnet18.FeatureChannels);
        Assert.Equal(2048, resnet50.FeatureChannels);
    }

    [Fact]
    public void CifarResNet18_HasKuangliusParameterCount()
    {
        using var model = ResNetModel.CifarResNet18();
        Assert.Equal(11_173_962, Count(model));
        // Same blocks as torchvision's resnet18 at 10 classes; the stem is a 3×3 convolution instead of a 7×7 one.
        Assert.Equal(11_181_642 - 3 * 64 * (49 - 9), Count(model));
        Assert.Equal(ResNetStem.Cifar, model.Stem);
    }

    [Fact]
    public void Forward_GivesLogitsPerImage()
    {
        using var resnet18 = ResNetModel.ResNet18(classes: 7);
        using (var x = randn(2, 3, 64, 64))
        using (var y = resnet18.forward(x))
            Assert.Equal([2L, 7], y.shape);

        using var resnet50 = ResNetModel.ResNet50(inputChannels: 1, classes: 5);
        resnet50.eval();
        using (var x = randn(1, 1, 32, 32))
        using (var y = resnet50.forward(x))
        {
            Assert.Equal([1L, 5], y.shape);
            Assert.True(y.isfinite().all().item<bool>());
        }

        using var cifar = ResNetModel.CifarResNet18();
        using (var x = randn(2, 3, 32, 32))
        using (var y = cifar.forward(x))
            Assert.Equal([2L, 10], y.shape);
    }

    [Fact]
    public void Forward_RejectsWrongChannelsSizeRankAndType()
    {
        using var model = ResNetModel.ResNet18(classes: 10);
        using var grey = zeros(2, 1, 64, 64);
        var channels = Assert.Throws<ArgumentException>(() => model.forward(grey));
        Assert.Contains("1 channel(s), not 3", channels.Message);

        using var small = zeros(2, 3, 16, 40);
        var tooSmall = Assert.Throws<ArgumentException>(() => model.forward(small));
        Assert.Contains("≥ 32", tooSmall.Message);
        Assert.Contains("16×40", tooSmall.Message);

        using var flat = zeros(2, 3 * 64 * 64);
        Assert.Contains("2 dimension(s)", Assert.Throws<ArgumentException>(() => model.forward(flat)).Message);

        using var doubles = zeros(new long[] { 2, 3, 64, 64 }, dtype: ScalarType.Float64);
        Assert.Contains("Float64", Assert.Throws<ArgumentException>(() => model.forward(doubles)).Message);

        using var cifar = ResNetModel.CifarResNet18();
        using var tiny = zeros(1, 3, 4, 4);
        Assert.Contains("≥ 8", Assert.Throws<ArgumentException>(() => cifar.forward(tiny)).Message);
    }

    [Fact]
    public void Constructor_RejectsBadArchitectures()
    {
        Assert.Throws<ArgumentException>(() => new ResNetModel(ResNetBlockKind.Basic, [2, 2, 2]));
        Assert.Throws<ArgumentException>(() => new ResNetModel(ResNetBlockKind.Basic, [2, 0, 2, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ResNetModel.ResNet18(inputChannels: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ResNetModel.ResNet18(classes: 0));
    }
}
