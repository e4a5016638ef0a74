using Studying.DeepLearning.Classification;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Tests.Classification;

/// <summary>A quick hand-written training loop (independent of the chapter's Trainer) on a separable toy image problem.</summary>
[Trait("Tier", "unit")]
public class SoftmaxRegressionTrainingTests
{
    public SoftmaxRegressionTrainingTests() => TorchRuntime.EnsureLoaded();

    /// <summary>1×8×8 images of class k ∈ {0..3}: a bright 4×4 quadrant k plus noise — linearly separable.</summary>
    private static (Tensor Images, Tensor Labels) Quadrants(int count, int seed)
    {
        var rng = new Random(seed);
        var pixels = new float[count * 64];
        var labels = new long[count];
        for (var n = 0; n < count; n++)
        {
            var k = rng.Next(4);
            labels[n] = k;
            for (var r = 0; r < 8; r++)
            {
                for (var c = 0; c < 8; c++)
                {
                    var inQuadrant = (r / 4) * 2 + (c / 4) == k;
                    pixels[n * 64 + r * 8 + c] = (inQuadrant ? 1f : 0f) + (float)(0.3 * (rng.NextDouble() * 2 - 1));
                }
            }
        }
        return (tensor(pixels, [count, 1, 8, 8]), tensor(labels));
    }

    [Fact]
    public void SoftmaxRegression_LearnsASeparableImageProblem_WithCrossEntropyOnItsLogits()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(0);
        var (train, trainLabels) = Quadrants(256, seed: 1);
        var (test, testLabels) = Quadrants(256, seed: 2);
        using var model = new SoftmaxRegression(64, 4);
        using var optimizer = optim.SGD(model.parameters(), 0.5);

        double Accuracy(Tensor x, Tensor y)
        {
            using var s = NewDisposeScope();
            using var g = no_grad();
            return model.forward(x).argmax(1).eq(y).to_type(ScalarType.Float64).mean().item<double>();
        }

        var before = Accuracy(test, testLabels);
        double firstLoss = double.NaN, lastLoss = double.NaN;
        for (var epoch = 0; epoch < 50; epoch++)
        {
            using var step = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(train), trainLabels);
            lastLoss = loss.item<float>();
            if (epoch == 0)
                firstLoss = lastLoss;
            loss.backward();
            optimizer.step();
        }

        Assert.InRange(firstLoss, Math.Log(4) - 0.5, Math.Log(4) + 0.5); // near log 4 for an untrained 4-class model
        Assert.True(lastLoss < 0.1 * firstLoss, $"loss {firstLoss} → {lastLoss}");
        Assert.True(before < 0.6, $"untrained accuracy {before}");
        Assert.True(Accuracy(test, testLabels) > 0.98, $"test accuracy {Accuracy(test, testLabels)}");
    }
}
