using Studying.DeepLearning.Data;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.Training;

[Trait("Tier", "unit")]
public sealed class LearningRateRangeTestTests
{
    public LearningRateRangeTestTests() => TorchRuntime.EnsureLoaded();

    private static GaussianBlobSource Blobs(int samples = 320, int seed = 1) =>
        new(samples, classes: 3, features: 4, separation: 4, batchSize: 32, seed);

    [Fact]
    public void RateAt_RisesGeometricallyFromStartToEnd()
    {
        Assert.Equal(1e-6, LearningRateRangeTest.RateAt(0, 101, 1e-6, 1), 15);
        Assert.Equal(1.0, LearningRateRangeTest.RateAt(100, 101, 1e-6, 1), 12);
        Assert.Equal(1e-3, LearningRateRangeTest.RateAt(50, 101, 1e-6, 1), 12);      // the geometric middle
        Assert.Equal(10, LearningRateRangeTest.RateAt(7, 13, 1e-6, 1) / LearningRateRangeTest.RateAt(5, 13, 1e-6, 1), 9); // 12 intervals of 10^0.5
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateRangeTest.RateAt(5, 5, 1e-6, 1));
    }

    [Fact]
    public void Run_EqualsAHandWrittenLoop_AndRestoresTheWeightsAndMode()
    {
        var options = new LearningRateRangeOptions { StartLearningRate = 1e-4, EndLearningRate = 0.5, Steps = 25, Seed = 3, Device = CPU, DivergenceFactor = 1e9 };
        using var model = new TinyMlp(4, 16, 3, seed: 2, dropout: 0.2);
        model.eval();
        var before = Weights.Bits(model);

        var result = LearningRateRangeTest.Run(model, Blobs(), options);

        Weights.AssertEqual(before, Weights.Bits(model));
        Assert.False(model.training);
        Assert.Equal(25, result.Losses.Count);
        Assert.False(result.StoppedEarly);

        // The same test written out: 10 batches an epoch, so epochs 1, 2 and half of 3, dropout from each epoch's generator.
        using var copy = new TinyMlp(4, 16, 3, seed: 2, dropout: 0.2);
        using var sgd = optim.SGD(copy.parameters(), 1e-4, momentum: 0.9);
        var losses = new List<double>();
        for (var epoch = 1; losses.Count < 25; epoch++)
        {
            using var generator = Trainer.EpochGenerator(3, epoch, CPU);
            using var ambient = TrainingRandom.Use(generator);
            foreach (var batch in Blobs().GetBatches(epoch))
            {
                using (batch)
                using (NewDisposeScope())
                {
                    if (losses.Count == 25)
                        continue;
                    sgd.ParamGroups.First().LearningRate = 1e-4 * Math.Pow(0.5 / 1e-4, losses.Count / 24.0);
                    sgd.zero_grad();
                    var loss = nn.functional.cross_entropy(copy.call(batch.Inputs), batch.Targets);
                    losses.Add(loss.ToDouble());
                    loss.backward();
                    sgd.step();
                }
            }
        }
        Assert.Equal(losses, result.Losses);
        Assert.Equal(LearningRateRangeTest.RateAt(24, 25, 1e-4, 0.5), result.LearningRates[^1], 15);
    }

    [Fact]
    public void Smoothing_IsABiasCorrectedMovingAverage()
    {
        using var model = new TinyMlp(4, 16, 3, seed: 4);
        var result = LearningRateRangeTest.Run(model, Blobs(), new LearningRateRangeOptions { Steps = 12, Smoothing = 0.9, Device = CPU, DivergenceFactor = 1e9 });

        Assert.Equal(result.Losses[0], result.SmoothedLosses[0], 12);   // the first value is the first loss itself
        double average = 0;
        for (var i = 0; i < result.Losses.Count; i++)
        {
            average = 0.9 * average + 0.1 * result.Losses[i];
            Assert.Equal(average / (1 - Math.Pow(0.9, i + 1)), result.SmoothedLosses[i], 12);
        }
    }

    [Fact]
    public void ARangeUpToAHugeRate_StopsWhenTheLossBlowsUp_AndSuggestsATenthOfTheBestRate()
    {
        using var model = new TinyMlp(4, 32, 3, seed: 5);
        var result = LearningRateRangeTest.Run(model, Blobs(640), new LearningRateRangeOptions { StartLearningRate = 1e-4, EndLearningRate = 1e4, Steps = 120, Device = CPU });

        Assert.True(result.StoppedEarly);
        Assert.True(result.Losses.Count < 120, $"{result.Losses.Count} steps");
        Assert.True(result.SmoothedLosses[result.BestStep] < result.SmoothedLosses[0], "the loss never fell");
        Assert.Equal(result.MinimumLossRate / 10, result.SuggestedLearningRate, 15);
        Assert.InRange(result.MinimumLossRate, 1e-3, 1e3);
        Assert.True(Weights.AllFinite(model));
    }

    [Fact]
    public void Chart_HasALogarithmicRateAxis_AndMarksTheChosenRates()
    {
        var result = new LearningRateRangeResult([1e-3, 1e-2, 1e-1, 1], [2.3, 2.0, 1.0, 9.0], [2.3, 2.1, 1.6, 4.0], StoppedEarly: true);
        Assert.Equal(2, result.BestStep);
        Assert.Equal(1e-2, result.SuggestedLearningRate, 15);

        var figure = LearningRateRangeTest.Chart(result);

        Assert.True(figure.XAxis.Logarithmic);
        Assert.Equal((0.0, 1.25 * 2.3), figure.YAxis.Range);
        Assert.Equal(4, figure.Traces.Count);
        var suggested = Assert.IsType<ScatterTrace>(figure.Traces[3]);
        Assert.Equal([1e-2, 1e-2], suggested.X);
    }

    [Fact]
    public void Cancelling_StopsTheTest_AndStillRestoresTheWeights()
    {
        using var model = new TinyMlp(4, 16, 3, seed: 7);
        var before = Weights.Bits(model);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => LearningRateRangeTest.Run(model, Blobs(), new LearningRateRangeOptions { Device = CPU }, cancelled.Token));
        Weights.AssertEqual(before, Weights.Bits(model));
    }

    [Fact]
    public void BadOptions_AndAWrongModel_AreRefusedWithAReason()
    {
        using var model = new TinyMlp(4, 16, 3, seed: 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateRangeTest.Run(model, Blobs(), new LearningRateRangeOptions { StartLearningRate = 1, EndLearningRate = 0.1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateRangeTest.Run(model, Blobs(), new LearningRateRangeOptions { Steps = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateRangeTest.Run(model, Blobs(), new LearningRateRangeOptions { Smoothing = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateRangeTest.Run(model, Blobs(), new LearningRateRangeOptions { Optimizer = new OptimizerSpec(OptimizerKind.Lbfgs, 1) }));

        using var twoClasses = new TinyMlp(4, 16, 2, seed: 6);
        var before = Weights.Bits(twoClasses);
        var error = Assert.Throws<ArgumentException>(() => LearningRateRangeTest.Run(twoClasses, Blobs(), new LearningRateRangeOptions { Device = CPU }));
        Assert.Contains("[32, 3]", error.Message, StringComparison.Ordinal);
        Weights.AssertEqual(before, Weights.Bits(twoClasses));
    }
}
