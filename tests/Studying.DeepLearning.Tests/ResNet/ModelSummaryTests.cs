using Studying.DeepLearning.ResNet;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Tests.ResNet;

[Trait("Tier", "unit")]
public class ModelSummaryTests
{
    public ModelSummaryTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void Of_TinyModel_GivesHandCountedShapesParametersAndMultiplyAdds()
    {
        // Conv2d(1→2, 3×3) on 1×5×5 → 2×3×3: 3·3 positions · 2 out · 1 in · 9 taps = 162 MACs, 2·9 + 2 = 20 parameters.
        // Flatten → 18; Linear(18→4): 18·4 = 72 MACs, 72 + 4 = 76 parameters.
        using var model = nn.Sequential(("conv", nn.Conv2d(1, 2, 3)), ("flat", nn.Flatten()), ("fc", nn.Linear(18, 4)));
        var summary = ModelSummary.Of(model, [1, 5, 5]);

        Assert.Equal(["conv", "flat", "fc"], summary.Rows.Select(r => r.Name));
        Assert.Equal(["Conv2d", "Flatten", "Linear"], summary.Rows.Select(r => r.Type));
        Assert.Equal([1L, 2, 3, 3], summary.Rows[0].OutputShape);
        Assert.Equal([1L, 18], summary.Rows[1].OutputShape);
        Assert.Equal([1L, 4], summary.Rows[2].OutputShape);
        Assert.Equal([20L, 0, 76], summary.Rows.Select(r => r.Parameters));
        Assert.Equal([162L, 0, 72], summary.Rows.Select(r => r.MultiplyAdds));
        Assert.Equal(96, summary.TotalParameters);
        Assert.Equal(234, summary.TotalMultiplyAdds);
    }

    [Fact]
    public void Of_ResNet18_MatchesParameterCountTorchvisionMacsAndShapes()
    {
        using var model = ResNetModel.ResNet18();
        model.train();
        var summary = ModelSummary.Of(model, [3, 224, 224]);

        Assert.Equal(ResNetModels.CountParameters(model), summary.TotalParameters);
        Assert.Equal(11_689_512, summary.TotalParameters);
        // torchvision's model card: 1.81 GFLOPS counted as multiply-accumulates (1,814,083,944 incl. the classifier).
        Assert.InRange(summary.TotalMultiplyAdds, 1.814e9 * 0.98, 1.814e9 * 1.02);
        var first = summary.Rows[0];
        Assert.Equal(("conv1", "Conv2d"), (first.Name, first.Type));
        Assert.Equal([1L, 64, 112, 112], first.OutputShape);
        Assert.Equal(118_013_952, first.MultiplyAdds); // 112·112·64·3·7·7
        var fc = summary.Rows[^1];
        Assert.Equal(("fc", "Linear"), (fc.Name, fc.Type));
        Assert.Equal([1L, 512], fc.InputShape);
        Assert.Equal([1L, 1000], fc.OutputShape);
        Assert.Equal(512_000, fc.MultiplyAdds);
        // 1 stem conv + 8 blocks × 2 + 3 projections = 20 convolutions; every block's first conv sees the block input.
        Assert.Equal(20, summary.Rows.Count(r => r.Type == "Conv2d"));
        var projection = summary.Rows.Single(r => r.Name == "layer2.0.downsample.0");
        Assert.Equal([1L, 64, 56, 56], projection.InputShape);
        Assert.Equal([1L, 128, 28, 28], projection.OutputShape);
        Assert.True(model.training); // the summary's evaluation mode is undone
    }

    [Fact]
    public void Of_CalledTwice_GivesTheSameSummary_HooksAreRemoved()
    {
        using var model = new CifarResNet(20);
        var first = ModelSummary.Of(model, [3, 32, 32]);
        var second = ModelSummary.Of(model, [3, 16, 16]);
        Assert.Equal(first.Rows.Count, second.Rows.Count);
        Assert.Equal(ResNetModels.CountParameters(model), second.TotalParameters);
        // Convolutions scale with the pixels (a quarter at half the size); the classifier (64·10) does not.
        var fc = first.Rows[^1].MultiplyAdds;
        Assert.Equal(640, fc);
        Assert.Equal((first.TotalMultiplyAdds - fc) / 4 + fc, second.TotalMultiplyAdds);
        Assert.Contains("layer1.0.conv1", first.ToString(), StringComparison.Ordinal);
        Assert.Equal(ResNetModels.CountParameters(model), first.TotalParameters);
    }

    [Fact]
    public void Of_BadShape_Throws()
    {
        using var model = nn.Sequential(("conv", nn.Conv2d(1, 2, 3)));
        Assert.Throws<ArgumentException>(() => ModelSummary.Of(model, []));
        Assert.Throws<ArgumentException>(() => ModelSummary.Of(model, [1, 0, 5]));
    }
}
