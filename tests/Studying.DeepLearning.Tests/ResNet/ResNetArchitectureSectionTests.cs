using System.Text.Json;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.ResNet;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Tests.ResNet;

[Trait("Tier", "unit")]
public class ResNetArchitectureSectionTests
{
    public ResNetArchitectureSectionTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void Run_CountsMatchReferences_AndFeatureMapsFollowThePapersTables()
    {
        var seen = new List<string>();
        var report = ResNetArchitectureSection.Run(["resnet18", "cifar-resnet18", "resnet20", "plain20"], progress: new SyncProgress(r => seen.Add(r.Name)));

        Assert.Equal(["resnet18", "cifar-resnet18", "resnet20", "plain20"], seen);
        Assert.All(report.Rows, r => Assert.True(r.MatchesReference));
        Assert.Equal([11_181_642L, 11_173_962, 269_722, 269_722], report.Rows.Select(r => r.Parameters));

        // He et al. 2015, Table 1: conv1 and conv2_x at 56×56, then 28, 14, 7 for a 224×224 image.
        var resnet18 = report.Rows[0];
        Assert.Equal("ResNet-18", resnet18.DisplayName);
        Assert.Equal(224, resnet18.ImageSize);
        Assert.Equal(["64×56×56", "64×56×56", "128×28×28", "256×14×14", "512×7×7"], resnet18.FeatureMaps);
        // kuangliu: no downsampling in the stem, 32 → 32, 16, 8, 4.
        Assert.Equal(["64×32×32", "64×32×32", "128×16×16", "256×8×8", "512×4×4"], report.Rows[1].FeatureMaps);
        // He et al. 2015, section 4.2: maps of 32×32, 16×16, 8×8 with 16, 32, 64 filters.
        Assert.Equal(["16×32×32", "16×32×32", "32×16×16", "64×8×8"], report.Rows[2].FeatureMaps);
        Assert.Equal(report.Rows[2].FeatureMaps, report.Rows[3].FeatureMaps);
        Assert.Equal("Plain-20", report.Rows[3].DisplayName);

        var bars = Assert.IsType<BarTrace>(Assert.Single(report.Figures["parameters"].Traces));
        Assert.Equal(report.Rows.Select(r => (double)r.Parameters), bars.Values);
        Assert.True(report.Figures["parameters"].YAxis.Logarithmic);

        var json = JsonSerializer.Serialize(report);
        Assert.Contains("\"Parameters\":11181642", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Figures", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WithoutReference_SaysSo_AndRejectsBadNames()
    {
        var grey = ResNetArchitectureSection.Run(["resnet20"], inputChannels: 1, classes: 4);
        Assert.Null(grey.Rows[0].ReferenceParameters);
        Assert.Null(grey.Rows[0].MatchesReference);
        Assert.Equal(269_722 - 2 * 9 * 16 - 6 * (64 + 1), grey.Rows[0].Parameters); // two fewer input channels, six fewer classes (weights and bias)

        var e = Assert.Throws<ArgumentException>(() => ResNetArchitectureSection.Run(["resnet18", "vgg16"]));
        Assert.Contains("vgg16", e.Message);
        Assert.Contains("plain110", e.Message);
        Assert.Throws<ArgumentException>(() => ResNetArchitectureSection.Run([]));
    }

    [Fact]
    public void Run_Cancelled_StopsBeforeBuilding()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ResNetArchitectureSection.Run(["resnet152"], cancellationToken: cts.Token));
    }

    [Fact]
    public void FeatureMaps_ValidateLikeForward_AndEndWhereForwardPools()
    {
        using var model = new CifarResNet(8);
        model.eval();
        using var x = randn(2, 3, 12, 12);
        var maps = model.FeatureMaps(x);
        try
        {
            Assert.Equal(4, maps.Count);
            Assert.Equal([2L, 64, 3, 3], maps[^1].shape);
            // forward = classifier(global average of the last map): check it against the maps.
            using var logits = model.forward(x);
            var fc = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            using var byHand = nn.functional.linear(maps[^1].mean([2, 3]), fc["linear.weight"], fc["linear.bias"]);
            Assert.True(logits.allclose(byHand, rtol: 1e-5, atol: 1e-6));
        }
        finally
        {
            foreach (var m in maps)
                m.Dispose();
        }
        using var wrong = zeros(1, 1, 32, 32);
        Assert.Throws<ArgumentException>(() => model.FeatureMaps(wrong));
    }

    private sealed class SyncProgress(Action<ResNetArchitectureRow> report) : IProgress<ResNetArchitectureRow>
    {
        public void Report(ResNetArchitectureRow value) => report(value);
    }
}
