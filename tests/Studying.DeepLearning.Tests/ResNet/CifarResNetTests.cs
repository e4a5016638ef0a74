using Studying.DeepLearning.ResNet;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Tests.ResNet;

[Trait("Tier", "unit")]
public class CifarResNetTests
{
    public CifarResNetTests() => TorchRuntime.EnsureLoaded();

    /// <summary>Hand count for 3 channels, 10 classes, n blocks per stage (convolutions without bias, BN weight + bias).</summary>
    private static long HandCount(int n) =>
        (9 * 3 * 16 + 2 * 16)                                               // stem
        + n * (2 * 9 * 16 * 16 + 4 * 16)                                    // stage 1
        + (9 * 16 * 32 + 9 * 32 * 32 + 4 * 32) + (n - 1) * (2 * 9 * 32 * 32 + 4 * 32)  // stage 2
        + (9 * 32 * 64 + 9 * 64 * 64 + 4 * 64) + (n - 1) * (2 * 9 * 64 * 64 + 4 * 64)  // stage 3
        + (64 * 10 + 10);                                                   // classifier

    [Theory]
    [InlineData(20, 269_722)]
    [InlineData(32, 464_154)]
    [InlineData(44, 658_586)]
    [InlineData(56, 853_018)]
    [InlineData(110, 1_727_962)]
    public void ResidualAndPlain_HaveThePapersParameterCounts(int depth, long expected)
    {
        using var residual = new CifarResNet(depth);
        using var plain = new CifarResNet(depth, plain: true);
        Assert.Equal(expected, ResNetModels.CountParameters(residual));
        Assert.Equal(HandCount((depth - 2) / 6), expected);
        // Option-A shortcuts have no parameters, so the plain twin has exactly the same.
        Assert.Equal(expected, ResNetModels.CountParameters(plain));
        Assert.Equal((depth - 2) / 6, residual.BlocksPerStage);
        Assert.Equal($"ResNet-{depth}", residual.Name);
        Assert.Equal($"Plain-{depth}", plain.Name);
    }

    [Fact]
    public void Forward_GivesLogitsPerImage_AndResidualDiffersFromPlain()
    {
        using var residual = new CifarResNet(20);
        using var plain = new CifarResNet(20, inputChannels: 1, classes: 4, plain: true);
        using var x = randn(2, 3, 32, 32);
        using var y = residual.forward(x);
        Assert.Equal([2L, 10], y.shape);
        using var grey = randn(2, 1, 28, 28);
        using var z = plain.forward(grey);
        Assert.Equal([2L, 4], z.shape);

        // Same weights, with and without shortcuts: the outputs must differ (the shortcuts really add something).
        random.manual_seed(7);
        using var a = new CifarResNet(8);
        random.manual_seed(7);
        using var b = new CifarResNet(8, plain: true);
        a.eval();
        b.eval();
        using var ya = a.forward(x);
        using var yb = b.forward(x);
        Assert.False(ya.allclose(yb));
    }

    [Fact]
    public void Forward_RejectsWrongChannelsAndTooSmallImages()
    {
        using var model = new CifarResNet(20);
        using var grey = zeros(1, 1, 32, 32);
        Assert.Contains("1 channel(s), not 3", Assert.Throws<ArgumentException>(() => model.forward(grey)).Message);
        using var tiny = zeros(1, 3, 3, 32);
        var e = Assert.Throws<ArgumentException>(() => model.forward(tiny));
        Assert.Contains("ResNet-20", e.Message);
        Assert.Contains("≥ 4", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(21)]
    public void Constructor_RejectsDepthsNotSixNPlusTwo(int depth) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CifarResNet(depth));

    [Fact]
    public void PlainBlock_HasTheResidualBlocksParametersButNoShortcut()
    {
        using var plain = new PlainBlock(16, 32, stride: 2);
        Assert.Equal(9 * 16 * 32 + 9 * 32 * 32 + 4 * 32, ResNetModels.CountParameters(plain));
        // With its last batch norm silenced a plain block outputs zeros (a residual block would output relu(shortcut)).
        using (no_grad())
        {
            foreach (var (name, p) in plain.named_parameters())
            {
                if (name.StartsWith("bn2.", StringComparison.Ordinal))
                    p.zero_();
            }
        }
        using var x = randn(2, 16, 8, 8);
        using var y = plain.forward(x);
        Assert.Equal([2L, 32, 4, 4], y.shape);
        Assert.Equal(0f, y.abs().max().item<float>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Backward_ReachesEveryParameter(bool plain)
    {
        using var model = new CifarResNet(8, classes: 3, plain: plain);
        using var x = randn(4, 3, 8, 8);
        using var target = tensor(new long[] { 0, 1, 2, 1 });
        using var logits = model.forward(x);
        using var loss = nn.functional.cross_entropy(logits, target);
        loss.backward();
        foreach (var (name, p) in model.named_parameters())
        {
            Assert.NotNull(p.grad);
            Assert.True(p.grad!.isfinite().all().item<bool>(), name);
            Assert.True(p.grad!.abs().sum().item<float>() > 0, $"{name} got no gradient");
        }
    }
}
