using Studying.DeepLearning.ResNet;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Tests.ResNet;

[Trait("Tier", "unit")]
public class InceptionModuleTests
{
    public InceptionModuleTests() => TorchRuntime.EnsureLoaded();

    /// <summary>The last batch norm of each branch, whose zeroed weight and bias silence that branch (ReLU(0) = 0).</summary>
    private static readonly string[] LastNorms = ["branch1.conv_bn", "branch2.conv_bn", "branch3.conv_bn", "branch4.projection_bn"];

    [Theory]
    [InlineData(7, 7)]
    [InlineData(8, 8)]
    [InlineData(5, 6)]
    [InlineData(1, 1)]
    public void Forward_KeepsHeightAndWidth_AndConcatenatesTheBranches(int height, int width)
    {
        using var module = new InceptionModule(6, 3, 4, 5, 2, 7, 9);
        Assert.Equal(3 + 5 + 7 + 9, module.OutChannels);
        Assert.Equal(6, module.InChannels);
        using var x = randn(2, 6, height, width);
        using var y = module.forward(x);
        Assert.Equal([2L, 24, height, width], y.shape);
    }

    [Fact]
    public void ParameterCount_MatchesHandFormula_ForGoogLeNetsInception3a()
    {
        // GoogLeNet's inception 3a: in 192; 1×1 64; 3×3 reduce 96 → 128; 5×5 reduce 16 → 32; pool projection 32.
        // Convolutions (no bias): 192·64 + 192·96 + 9·96·128 + 192·16 + 25·16·32 + 192·32
        //   = 12,288 + 18,432 + 110,592 + 3,072 + 12,800 + 6,144 = 163,328.
        // Batch norms (weight + bias): 2·(64 + 96 + 128 + 16 + 32 + 32) = 736.
        using var module = new InceptionModule(192, 64, 96, 128, 16, 32, 32);
        Assert.Equal(163_328 + 736, ResNetModels.CountParameters(module));
        Assert.Equal(256, module.OutChannels);

        using var small = new InceptionModule(6, 3, 4, 5, 2, 7, 9);
        Assert.Equal(6 * 3 + 6 * 4 + 9 * 4 * 5 + 6 * 2 + 25 * 2 * 7 + 6 * 9 + 2 * (3 + 4 + 5 + 2 + 7 + 9), ResNetModels.CountParameters(small));
    }

    [Fact]
    public void Kernels_AreReally1x1_3x3_5x5_AndThePoolKeepsTheSize()
    {
        using var module = new InceptionModule(6, 3, 4, 5, 2, 7, 9);
        var shapes = module.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal([3L, 6, 1, 1], shapes["branch1.conv.weight"]);
        Assert.Equal([4L, 6, 1, 1], shapes["branch2.reduce.weight"]);
        Assert.Equal([5L, 4, 3, 3], shapes["branch2.conv.weight"]);
        Assert.Equal([2L, 6, 1, 1], shapes["branch3.reduce.weight"]);
        Assert.Equal([7L, 2, 5, 5], shapes["branch3.conv.weight"]);
        Assert.Equal([9L, 6, 1, 1], shapes["branch4.projection.weight"]);
        Assert.DoesNotContain(shapes.Keys, name => name.EndsWith("conv.bias", StringComparison.Ordinal) || name.EndsWith("reduce.bias", StringComparison.Ordinal));
    }

    [Fact]
    public void SilencingOneBranch_ZeroesExactlyItsChannelSlice()
    {
        using var module = new InceptionModule(6, 3, 4, 5, 2, 7, 9);
        module.eval();
        using var x = randn(2, 6, 5, 5);
        using var before = module.forward(x);
        long[] starts = [0, 3, 8, 15, 24];
        for (var b = 0; b < 4; b++)
        {
            using (no_grad())
            {
                foreach (var (name, p) in module.named_parameters())
                {
                    if (name.StartsWith(LastNorms[b] + ".", StringComparison.Ordinal))
                        p.zero_();
                }
            }
            using var after = module.forward(x);
            for (var other = 0; other < 4; other++)
            {
                using var sliceBefore = before.narrow(1, starts[other], starts[other + 1] - starts[other]);
                using var sliceAfter = after.narrow(1, starts[other], starts[other + 1] - starts[other]);
                if (other <= b)
                {
                    // This branch (and those silenced before) is exactly zero now; it was not before.
                    Assert.Equal(0.0, sliceAfter.abs().max().item<float>());
                    Assert.True(sliceBefore.abs().max().item<float>() > 0.1f, $"branch {other + 1} contributed nothing before silencing");
                }
                else
                {
                    Assert.True(sliceAfter.eq(sliceBefore).all().item<bool>(), $"silencing branch {b + 1} changed branch {other + 1}'s channels");
                }
            }
        }
    }

    [Fact]
    public void Backward_ReachesEveryParameterOfEveryBranch()
    {
        using var module = new InceptionModule(6, 3, 4, 5, 2, 7, 9);
        using var x = randn(4, 6, 5, 5);
        using var weights = randn(4, 24, 5, 5);
        using (var y = module.forward(x))
        using (var loss = (y * weights).sum())
            loss.backward();
        var parameters = module.named_parameters().ToList();
        Assert.Equal(6 * 3, parameters.Count); // six convolutions and six batch norms (weight and bias)
        foreach (var (name, p) in parameters)
        {
            Assert.NotNull(p.grad);
            Assert.True(p.grad!.abs().sum().item<float>() > 0, $"no gradient reached {name}");
        }
        foreach (var branch in new[] { "branch1.", "branch2.", "branch3.", "branch4." })
            Assert.Contains(parameters, p => p.name.StartsWith(branch, StringComparison.Ordinal));
    }

    [Fact]
    public void BadInput_ThrowsArgumentException_BeforeAnyNativeCall()
    {
        using var module = new InceptionModule(6, 3, 4, 5, 2, 7, 9);
        using var wrongChannels = zeros(1, 5, 8, 8);
        Assert.Contains("5 channel(s), not 6", Assert.Throws<ArgumentException>(() => module.forward(wrongChannels)).Message);
        using var threeD = zeros(6, 8, 8);
        Assert.Contains("3 dimension(s)", Assert.Throws<ArgumentException>(() => module.forward(threeD)).Message);
        using var doubles = zeros(new long[] { 1, 6, 8, 8 }, ScalarType.Float64);
        var e = Assert.Throws<ArgumentException>(() => module.forward(doubles));
        Assert.Contains("Float32 parameters but got a Float64 input", e.Message);
        using var empty = zeros(0, 6, 8, 8);
        Assert.Contains("empty batch", Assert.Throws<ArgumentException>(() => module.forward(empty)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InceptionModule(6, 3, 0, 5, 2, 7, 9));

        // The process survived, and the module still works.
        using var fine = zeros(1, 6, 8, 8);
        using var y = module.forward(fine);
        Assert.Equal([1L, 24, 8, 8], y.shape);
    }
}
