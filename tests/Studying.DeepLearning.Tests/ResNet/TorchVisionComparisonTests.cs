using Studying.DeepLearning.ResNet;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Tests.ResNet;

/// <summary>Our ResNets against TorchSharp's TorchVision package, an independent implementation of the same networks.</summary>
[Trait("Tier", "unit")]
public class TorchVisionComparisonTests
{
    public TorchVisionComparisonTests() => TorchRuntime.EnsureLoaded();

    private static List<string> SortedShapes(nn.Module module) =>
        [.. module.parameters().Select(p => string.Join("×", p.shape)).Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData("resnet18", 1000)]
    [InlineData("resnet18", 10)]
    [InlineData("resnet34", 100)]
    [InlineData("resnet50", 10)]
    [InlineData("resnet101", 1000)]
    [InlineData("resnet152", 1000)]
    public void ParameterShapes_MatchTorchVision(string name, int classes)
    {
        using var ours = ResNetModels.Create(name, 3, classes);
        using nn.Module<Tensor, Tensor> theirs = name switch
        {
            "resnet18" => torchvision.models.resnet18(num_classes: classes),
            "resnet34" => torchvision.models.resnet34(num_classes: classes),
            "resnet50" => torchvision.models.resnet50(num_classes: classes),
            "resnet101" => torchvision.models.resnet101(num_classes: classes),
            "resnet152" => torchvision.models.resnet152(num_classes: classes),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        Assert.Equal(theirs.parameters().Sum(p => p.numel()), ResNetModels.CountParameters(ours));
        if (ResNetArchitectureSection.ReferenceParameters(name, classes) is { } reference)
            Assert.Equal(reference, ResNetModels.CountParameters(ours));
        Assert.Equal(SortedShapes(theirs), SortedShapes(ours));
        // Batch-norm running statistics: the same buffers too (mean, variance and batch count per norm).
        Assert.Equal(theirs.buffers().Count(), ours.buffers().Count());
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet34")]
    [InlineData("resnet50")]
    [InlineData("resnet101")]
    [InlineData("resnet152")]
    public void StateDictKeys_AreTorchVisions(string name)
    {
        using var ours = ResNetModels.Create(name, 3, 1000);
        using nn.Module<Tensor, Tensor> theirs = name switch
        {
            "resnet18" => torchvision.models.resnet18(),
            "resnet34" => torchvision.models.resnet34(),
            "resnet50" => torchvision.models.resnet50(),
            "resnet101" => torchvision.models.resnet101(),
            "resnet152" => torchvision.models.resnet152(),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        Assert.Equal(theirs.state_dict().Keys, ours.state_dict().Keys); // the same names in the same order
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    public void WithTorchVisionsWeights_GivesTorchVisionsLogits(string name)
    {
        using var ours = ResNetModels.Create(name, 3, 10);
        using nn.Module<Tensor, Tensor> theirs = name == "resnet18" ? torchvision.models.resnet18(num_classes: 10) : torchvision.models.resnet50(num_classes: 10);
        var ourState = ours.state_dict();
        var theirState = theirs.state_dict();
        // Our names ARE torchvision's: the key sets are equal, so the weights copy over name for name.
        Assert.Equal(theirState.Keys.Order(StringComparer.Ordinal), ourState.Keys.Order(StringComparer.Ordinal));
        using (no_grad())
        {
            foreach (var (key, value) in theirState)
                ourState[key].copy_(value);
        }
        ours.eval();
        theirs.eval();
        using var x = randn(2, 3, 64, 64);
        using var expected = theirs.forward(x);
        using var actual = ours.forward(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), $"max |difference| {(actual - expected).abs().max().item<float>()}");
    }
}
