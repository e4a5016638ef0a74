using Studying.DeepLearning.Data;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.TorchBasics;
using Studying.DeepLearning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.Training;

/// <summary>Callbacks, per-step learning rates, gradient clipping and the options' device.</summary>
[Trait("Tier", "unit")]
public sealed class TrainerCallbacksTests
{
    public TrainerCallbacksTests() => TorchRuntime.EnsureLoaded();

    private static GaussianBlobSource Blobs(int samples, int seed) => new(samples, 3, features: 4, separation: 4, batchSize: 32, seed);

    private static TrainerOptions Sgd(int epochs, double rate = 0.05) => new()
    {
        Epochs = epochs, Optimizer = new OptimizerSpec(OptimizerKind.Sgd, rate), RestoreBestWeights = false, Device = CPU,
    };

    [Fact]
    public void Callbacks_SeeEveryStepAndEpoch_WithFiguresThatMatchTheHistory()
    {
        var ends = new List<(int Epoch, int Batch, int? PerEpoch, long Samples, double Loss, double Running, double Accuracy, double Rate, double? Norm)>();
        var epochs = new List<EpochEnd>();
        var starts = 0;
        using var model = new TinyMlp(4, 8, 3, seed: 1);
        var options = Sgd(2) with
        {
            Callbacks = new TrainerCallbacks
            {
                OnBatchStart = _ => starts++,
                OnBatchEnd = b => ends.Add((b.Epoch, b.Batch, b.BatchesPerEpoch, b.Samples, b.Loss, b.RunningLoss, b.RunningAccuracy, b.LearningRate, b.GradientNorm)),
                OnEpochEnd = epochs.Add,
            },
        };
        var result = Trainer.Fit(model, Blobs(200, 1), Blobs(60, 2), options);

        // 200 samples in batches of 32: 7 batches per epoch (the last of 8 samples).
        Assert.Equal(14, starts);
        Assert.Equal(Enumerable.Range(1, 7).Concat(Enumerable.Range(1, 7)), ends.Select(e => e.Batch));
        Assert.All(ends.Take(7), e => Assert.Null(e.PerEpoch));
        Assert.All(ends.Skip(7), e => Assert.Equal(7, e.PerEpoch));
        Assert.Equal(200, ends[6].Samples);
        Assert.All(ends, e => Assert.Equal(0.05, e.Rate));
        Assert.All(ends, e => Assert.Null(e.Norm));
        // The running loss is the sample-weighted mean of the batch losses so far; at the last batch it is the epoch's.
        var weighted = ends.Take(7).Select((e, i) => e.Loss * (i < 6 ? 32 : 8)).Sum() / 200;
        Assert.Equal(weighted, ends[6].Running, 12);
        Assert.Equal(result.History.Epochs[0].TrainLoss, ends[6].Running, 12);
        Assert.Equal(result.History.Epochs[0].TrainAccuracy, ends[6].Accuracy, 12);
        Assert.Equal(result.History.Epochs, epochs.Select(e => e.Record));
        Assert.Equal([1, 2], epochs.Select(e => e.History.Epochs.Count));
        Assert.All(epochs, e => Assert.Equal((2, 7, 200L), (e.Epochs, e.Batches, e.Samples)));
    }

    [Fact]
    public void BatchStart_SetsAPerStepLearningRate_ThatTheStepUses()
    {
        using var model = new TinyMlp(4, 8, 3, seed: 1);
        var before = Weights.Bits(model);
        var used = new List<double>();
        var frozen = Sgd(1) with
        {
            Callbacks = new TrainerCallbacks { OnBatchStart = b => b.SetLearningRate(0), OnBatchEnd = b => used.Add(b.LearningRate) },
        };
        var result = Trainer.Fit(model, Blobs(200, 1), null, frozen);
        // Rate 0 at every step: plain SGD leaves every weight as it was, and the epoch records the rate used.
        Weights.AssertEqual(before, Weights.Bits(model));
        Assert.All(used, r => Assert.Equal(0, r));
        Assert.Equal(0, result.History.Epochs[0].LearningRate);

        // A linear warm-up over the global step, computed from (epoch, batch): each step reports the rate it was given.
        var rates = new List<(double Scheduled, double Used)>();
        var warmup = Sgd(2) with
        {
            Callbacks = new TrainerCallbacks
            {
                OnBatchStart = b => b.SetLearningRate(b.ScheduledRate * Math.Min(1, ((b.Epoch - 1) * 7 + b.Batch) / 10.0)),
                OnBatchEnd = b => rates.Add((0.05 * Math.Min(1, ((b.Epoch - 1) * 7 + b.Batch) / 10.0), b.LearningRate)),
            },
        };
        using var other = new TinyMlp(4, 8, 3, seed: 1);
        Trainer.Fit(other, Blobs(200, 1), null, warmup);
        Assert.Equal(14, rates.Count);
        Assert.All(rates, r => Assert.Equal(r.Scheduled, r.Used, 15));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(other, Blobs(200, 1), null,
            Sgd(1) with { Callbacks = new TrainerCallbacks { OnBatchStart = b => b.SetLearningRate(double.NaN) } }));
    }

    [Fact]
    public void MaxGradientNorm_ClipsTheTotalNormToTheLimit_WithoutTurningTheGradient()
    {
        const double limit = 0.01;
        var (inputs, targets) = Rows(24, 4);
        var source = new ArraySource(inputs, targets, 64, ["a", "b", "c"]); // one batch: one step

        // By hand: the full gradient of the same model on the same batch, and its L2 norm in double.
        using var reference = new TinyMlp(4, 8, 3, seed: 4);
        var x = tensor(inputs.SelectMany(r => r).ToArray(), [24, 4]);
        nn.functional.cross_entropy(reference.call(x), tensor(targets)).backward();
        var gradients = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray().Select(v => (double)v).ToArray());
        var norm = Math.Sqrt(gradients.Values.SelectMany(g => g).Sum(v => v * v));
        Assert.True(norm > 10 * limit, $"the gradient norm {norm} should be well above the limit");

        using var model = new TinyMlp(4, 8, 3, seed: 4);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
        double? reported = null;
        Trainer.Fit(model, source, null, Sgd(1, rate: 1.0) with
        {
            MaxGradientNorm = limit,
            Callbacks = new TrainerCallbacks { OnBatchEnd = b => reported = b.GradientNorm },
        });

        // SGD with rate 1: the step is minus the clipped gradient.
        var steps = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray().Select((v, i) => (double)before[p.name][i] - v).ToArray());
        var stepNorm = Math.Sqrt(steps.Values.SelectMany(s => s).Sum(v => v * v));
        Assert.Equal(norm, reported!.Value, norm * 1e-5);
        Assert.Equal(limit, stepNorm, limit * 1e-3);
        foreach (var (name, g) in gradients)
        {
            for (var i = 0; i < g.Length; i++)
                Assert.Equal(g[i] * limit / norm, steps[name][i], 1e-7);
        }
    }

    [Fact]
    public void MaxGradientNorm_AboveTheNorm_ChangesNothing()
    {
        using var a = new TinyMlp(4, 8, 3, seed: 4);
        using var b = new TinyMlp(4, 8, 3, seed: 4);
        Trainer.Fit(a, Blobs(200, 1), null, Sgd(1));
        Trainer.Fit(b, Blobs(200, 1), null, Sgd(1) with { MaxGradientNorm = 1e6 });
        var differences = a.parameters().Zip(b.parameters(), (p, q) => (p - q).abs().max().item<float>());
        Assert.All(differences, d => Assert.True(d < 1e-6, $"difference {d}"));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void MaxGradientNorm_NotFinitePositive_IsRejectedNamingTheOption(double limit)
    {
        using var model = new TinyMlp(4, 8, 3, seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(model, Blobs(64, 1), null, Sgd(1) with { MaxGradientNorm = limit }));
        Assert.Contains("MaxGradientNorm", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Device_DefaultsToTheProcessChoice_AndCannotBeNull()
    {
        Assert.Equal(ComputeDevice.Current.ToString(), new TrainerOptions().Device.ToString());
        Assert.Equal("cpu", (new TrainerOptions() with { Device = CPU }).Device.ToString());
        Assert.Throws<ArgumentNullException>(() => new TrainerOptions { Device = null! });
    }

    [Fact]
    public void LiveTrainingChart_DrawsAfterEveryEpoch_ThroughTheCallbacks()
    {
        var shown = new List<Figure>();
        var chart = new LiveTrainingChart(shown.Add);
        using var model = new TinyMlp(4, 8, 3, seed: 1);
        var result = Trainer.Fit(model, Blobs(200, 1), Blobs(60, 2), Sgd(3) with { Callbacks = chart.Callbacks });

        Assert.Equal(3, shown.Count);
        Assert.Equal(result.History.Epochs, chart.Epochs);
        Assert.Contains("3 of 3", shown[^1].Title, StringComparison.Ordinal);
    }

    private static (float[][] Inputs, long[] Targets) Rows(int count, int features)
    {
        var random = new Random(11);
        var inputs = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, features).Select(_ => (float)(3 * random.NextDouble())).ToArray()).ToArray();
        return (inputs, Enumerable.Range(0, count).Select(i => (long)(i % 3)).ToArray());
    }
}
