using Studying.DeepLearning.ResNet;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Tests.ResNet;

[Trait("Tier", "unit")]
public class ResNetModelsTests
{
    public ResNetModelsTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData("resnet18", 11_689_512)]
    [InlineData("ResNet34", 21_797_672)]
    [InlineData(" resnet50 ", 25_557_032)]
    public void Create_ImageNetNames_GiveTorchvisionCounts(string name, long expected)
    {
        using var model = ResNetModels.Create(name, 3, 1000);
        Assert.IsType<ResNetModel>(model);
        Assert.Equal(expected, ResNetModels.CountParameters(model));
    }

    [Theory]
    [InlineData("cifar-resnet18", 11_173_962)]
    [InlineData("resnet20", 269_722)]
    [InlineData("resnet110", 1_727_962)]
    [InlineData("plain56", 853_018)]
    public void Create_CifarNames_GiveReferenceCounts(string name, long expected)
    {
        using var model = ResNetModels.Create(name, 3, 10);
        Assert.Equal(expected, ResNetModels.CountParameters(model));
    }

    [Fact]
    public void Create_EveryName_BuildsAModelOfThatDepth()
    {
        foreach (var name in ResNetModels.Names)
        {
            using var model = ResNetModels.Create(name, 1, 3);
            var depth = model switch
            {
                ResNetModel r => r.Depth,
                CifarResNet c => c.Depth,
                _ => throw new InvalidOperationException(model.GetType().Name),
            };
            Assert.EndsWith(depth.ToString(System.Globalization.CultureInfo.InvariantCulture), name);
            Assert.Equal(name.StartsWith("plain", StringComparison.Ordinal), model is CifarResNet { Plain: true });
        }
        Assert.Equal(16, ResNetModels.Names.Count);
    }

    [Fact]
    public void Create_UnknownName_ListsValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => ResNetModels.Create("resnet21", 3, 10));
        Assert.Contains("resnet21", e.Message);
        foreach (var name in ResNetModels.Names)
            Assert.Contains(name, e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ResNetModels.Create("resnet20", 0, 10));
        Assert.Throws<ArgumentNullException>(() => ResNetModels.Create(null!, 3, 10));
    }
}
