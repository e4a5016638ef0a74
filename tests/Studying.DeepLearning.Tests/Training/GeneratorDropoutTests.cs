using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.Training;

/// <summary><see cref="GeneratorDropout"/> against <c>nn.Dropout</c>'s semantics, and its use of the run's generator.</summary>
[Trait("Tier", "unit")]
public sealed class GeneratorDropoutTests
{
    public GeneratorDropoutTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void EvalMode_IsTheIdentity()
    {
        using var dropout = new GeneratorDropout(0.5);
        dropout.eval();
        using var x = linspace(-3, 3, 101);
        using var y = dropout.call(x);
        Assert.Equal(x.data<float>().ToArray(), y.data<float>().ToArray());
    }

    [Fact]
    public void TrainingMode_KeepsAndScalesLikeNnDropout()
    {
        const double p = 0.3;
        const int n = 200_000;
        using var ours = new GeneratorDropout(p);
        using var theirs = nn.Dropout(p);
        using var generator = new torch.Generator(7);
        using var x = full(n, 2.5f);
        float[] a;
        using (TrainingRandom.Use(generator))
            a = ours.call(x).data<float>().ToArray();
        var b = theirs.call(x).data<float>().ToArray();

        // The fraction kept is 1 − p within 5 σ (σ = √(p(1 − p)/n) ≈ 0.001), for both.
        var sigma = Math.Sqrt(p * (1 - p) / n);
        Assert.InRange(a.Count(v => v != 0) / (double)n, 1 - p - 5 * sigma, 1 - p + 5 * sigma);
        Assert.InRange(b.Count(v => v != 0) / (double)n, 1 - p - 5 * sigma, 1 - p + 5 * sigma);
        // The kept values are scaled by 1/(1 − p), to the same float as nn.Dropout's (within one rounding).
        var kept = a.Where(v => v != 0).Distinct().Single();
        var keptTheirs = b.Where(v => v != 0).Distinct().Single();
        Assert.Equal(2.5 / 0.7, kept, 1e-5);
        Assert.Equal(keptTheirs, kept, 1e-5);
    }

    [Fact]
    public void Gradient_IsTheMaskOverTheKeepProbability()
    {
        const double p = 0.25;
        using var dropout = new GeneratorDropout(p);
        using var generator = new torch.Generator(3);
        using var x = (linspace(1, 2, 1000)).requires_grad_(true); // no zeros: kept ⇔ output ≠ 0
        using (TrainingRandom.Use(generator))
        {
            using var y = dropout.call(x);
            y.sum().backward();
            var output = y.data<float>().ToArray();
            var gradient = x.grad!.data<float>().ToArray();
            for (var i = 0; i < output.Length; i++)
                Assert.Equal(output[i] != 0 ? 1 / (1 - p) : 0, gradient[i], 1e-6);
            Assert.Contains(output, v => v == 0);
            Assert.Contains(output, v => v != 0);
        }
    }

    [Fact]
    public void SameGenerator_SameMask_WhateverTheGlobalGeneratorDoes()
    {
        using var dropout = new GeneratorDropout(0.5);
        using var x = ones(500);
        float[] Draw(ulong seed)
        {
            using var generator = new torch.Generator(seed);
            using var scope = TrainingRandom.Use(generator);
            return dropout.call(x).data<float>().ToArray();
        }
        var first = Draw(5);
        torch.rand(1000).Dispose(); // the global generator moves on
        var second = Draw(5);
        var other = Draw(6);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Null(TrainingRandom.Current); // the scopes restored the previous (none)
    }

    [Fact]
    public void ProbabilityOutsideZeroToOne_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeneratorDropout(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeneratorDropout(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeneratorDropout(1.5));
    }

    [Fact]
    public void ModelsWithDropout_KeepTheirStateDictNames()
    {
        using var mlp = new Studying.DeepLearning.Classification.MultilayerPerceptron(4, [8], 3, dropout: 0.2);
        Assert.Equal(["layers.linear1.weight", "layers.linear1.bias", "layers.logits.weight", "layers.logits.bias"], mlp.state_dict().Keys);
    }
}
