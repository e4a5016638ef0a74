using Studying.DeepLearning.Classification;
using Studying.DeepLearning.ResNet;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Tests.ResNet;

[Trait("Tier", "unit")]
public class ResidualBlockTests
{
    public ResidualBlockTests() => TorchRuntime.EnsureLoaded();

    private static long Count(nn.Module module) => ClassifierModels.CountParameters(module);

    /// <summary>Sets the last batch norm's weight and bias to zero, so the residual branch outputs exactly zero.</summary>
    private static void SilenceResidual(nn.Module block, string lastNorm)
    {
        using var _ = no_grad();
        foreach (var (name, p) in block.named_parameters())
        {
            if (name.StartsWith(lastNorm + ".", StringComparison.Ordinal))
                p.zero_();
        }
    }

    [Fact]
    public void BasicBlock_ParameterCounts_MatchHandFormula()
    {
        using var identity = new BasicBlock(64, 64);
        Assert.False(identity.HasProjection);
        Assert.Equal(9 * 64 * 64 * 2 + 4 * 64, Count(identity));

        using var projected = new BasicBlock(64, 128, stride: 2);
        Assert.True(projected.HasProjection);
        Assert.Equal(9 * 64 * 128 + 9 * 128 * 128 + 4 * 128 + (64 * 128 + 2 * 128), Count(projected));

        using var padded = new BasicBlock(16, 32, stride: 2, ResNetShortcut.ZeroPadding);
        Assert.False(padded.HasProjection);
        Assert.Equal(9 * 16 * 32 + 9 * 32 * 32 + 4 * 32, Count(padded));
    }

    [Fact]
    public void Bottleneck_ParameterCounts_MatchHandFormula()
    {
        using var first = new Bottleneck(64, 64);
        Assert.True(first.HasProjection); // 64 → 256 channels
        Assert.Equal(256, first.OutChannels);
        Assert.Equal(64 * 64 + 9 * 64 * 64 + 64 * 256 + 2 * (64 + 64 + 256) + (64 * 256 + 2 * 256), Count(first));

        using var repeated = new Bottleneck(256, 64);
        Assert.False(repeated.HasProjection);
        Assert.Equal(256 * 64 + 9 * 64 * 64 + 64 * 256 + 2 * (64 + 64 + 256), Count(repeated));
    }

    [Fact]
    public void Blocks_WithSilencedResidual_PassTheShortcutThroughRelu()
    {
        using var x = randn(2, 4, 6, 6);
        using var identity = new BasicBlock(4, 4);
        SilenceResidual(identity, "bn2");
        using (var y = identity.forward(x))
        using (var expected = x.relu())
            Assert.True(y.allclose(expected));

        // Option A: every second pixel, and (8 − 4) / 2 = 2 zero channels before and after.
        using var padded = new BasicBlock(4, 8, stride: 2, ResNetShortcut.ZeroPadding);
        SilenceResidual(padded, "bn2");
        using var y2 = padded.forward(x);
        Assert.Equal([2L, 8, 3, 3], y2.shape);
        var xs = x.data<float>().ToArray();
        var ys = y2.data<float>().ToArray();
        for (var n = 0; n < 2; n++)
        for (var c = 0; c < 8; c++)
        for (var i = 0; i < 3; i++)
        for (var j = 0; j < 3; j++)
        {
            var expected = c is >= 2 and < 6 ? Math.Max(0f, xs[((n * 4 + (c - 2)) * 6 + 2 * i) * 6 + 2 * j]) : 0f;
            Assert.Equal(expected, ys[((n * 8 + c) * 3 + i) * 3 + j]);
        }

        using var bottleneck = new Bottleneck(16, 4);
        SilenceResidual(bottleneck, "bn3");
        using var wide = randn(2, 16, 5, 5);
        using (var y3 = bottleneck.forward(wide))
        using (var expected = wide.relu())
            Assert.True(y3.allclose(expected));
    }

    [Fact]
    public void Blocks_HalveOddSizesLikeTheirShortcut()
    {
        using var x = randn(1, 4, 7, 7);
        using var projected = new BasicBlock(4, 8, stride: 2);
        using var padded = new BasicBlock(4, 8, stride: 2, ResNetShortcut.ZeroPadding);
        using var bottleneck = new Bottleneck(4, 2, stride: 2);
        using var a = projected.forward(x);
        using var b = padded.forward(x);
        using var c = bottleneck.forward(x);
        Assert.Equal([1L, 8, 4, 4], a.shape);
        Assert.Equal([1L, 8, 4, 4], b.shape);
        Assert.Equal([1L, 8, 4, 4], c.shape);
    }

    [Fact]
    public void Blocks_RejectBadArgumentsAndInputs()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BasicBlock(4, 4, stride: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BasicBlock(8, 4, shortcut: ResNetShortcut.ZeroPadding));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Bottleneck(0, 4));
        using var block = new BasicBlock(4, 4);
        using var wrong = zeros(1, 3, 8, 8);
        Assert.Contains("3 channel(s), not 4", Assert.Throws<ArgumentException>(() => block.forward(wrong)).Message);
        using var bottleneck = new Bottleneck(16, 4);
        using var wrong2 = zeros(1, 4, 8, 8);
        Assert.Contains("4 channel(s), not 16", Assert.Throws<ArgumentException>(() => bottleneck.forward(wrong2)).Message);
    }
}
