using Studying.DeepLearning.Data;
using Studying.DeepLearning.Classification;
using Studying.DeepLearning.TorchBasics;
using TorchSharp;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Tests.Training;

[Trait("Tier", "unit")]
public sealed class TrainerTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "studydl-trainer-" + Guid.NewGuid().ToString("N"));

    public TrainerTests() => TorchRuntime.EnsureLoaded();

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    // Three blobs whose centres are 4·√2 apart: the Bayes error is about 3·Φ(−2.83) ≈ 0.7 %, so ≥ 95 % is reachable.
    private static GaussianBlobSource Blobs(int samples, int seed, bool randomLabels = false, int classes = 3) =>
        new(samples, classes, features: 4, separation: 4, batchSize: 32, seed, randomLabels);

    private static TrainerOptions Adam(int epochs) => new() { Epochs = epochs, Optimizer = new OptimizerSpec(OptimizerKind.Adam, 0.01) };

    [Fact]
    public void SeparableBlobs_TinyMlpReachesHighValidationAccuracy()
    {
        using var model = new TinyMlp(4, 16, 3, seed: 1);
        var result = Trainer.Fit(model, Blobs(600, seed: 1), Blobs(300, seed: 2), Adam(6));

        Assert.Equal(StopReason.Completed, result.Stop);
        Assert.Equal(6, result.History.Epochs.Count);
        Assert.Equal([1, 2, 3, 4, 5, 6], result.History.Epochs.Select(e => e.Epoch));
        Assert.True(result.History.Epochs[^1].ValidationAccuracy >= 0.95, $"validation accuracy {result.History.Epochs[^1].ValidationAccuracy}");
        Assert.True(result.History.Epochs[^1].TrainLoss < result.History.Epochs[0].TrainLoss / 2, "training loss did not fall");
        Assert.True(result.RestoredBestWeights);
        // The restored weights are the best epoch's: evaluating them reproduces that epoch's validation loss.
        var best = result.History.Epochs[result.BestEpoch!.Value - 1];
        Assert.Equal(best.ValidationLoss!.Value, Trainer.Evaluate(model, Blobs(300, seed: 2)).Loss, 5);
    }

    [Fact]
    public void RandomLabels_ValidationStaysNearChance()
    {
        using var model = new TinyMlp(4, 32, 2, seed: 1);
        var result = Trainer.Fit(model, Blobs(400, seed: 3, randomLabels: true, classes: 2), Blobs(400, seed: 4, randomLabels: true, classes: 2), Adam(5) with { RestoreBestWeights = false });

        // 400 independent coin flips: the standard deviation of the accuracy is 2.5 %, so 0.5 ± 0.12 is ~5 σ.
        Assert.All(result.History.Epochs, e => Assert.InRange(e.ValidationAccuracy!.Value, 0.38, 0.62));
    }

    [Fact]
    public void SameSeed_GivesTheSameHistoryAndWeights_AnotherSeedDoesNot()
    {
        var options = new TrainerOptions { Epochs = 2, Optimizer = new OptimizerSpec(OptimizerKind.Momentum, 0.05), Seed = 5, RestoreBestWeights = false };
        using var a = new TinyMlp(4, 16, 3, seed: 9, dropout: 0.3);
        using var b = new TinyMlp(4, 16, 3, seed: 9, dropout: 0.3);
        using var c = new TinyMlp(4, 16, 3, seed: 9, dropout: 0.3);
        var ra = Trainer.Fit(a, Blobs(200, 1), Blobs(100, 2), options);
        var rb = Trainer.Fit(b, Blobs(200, 1), Blobs(100, 2), options);
        Trainer.Fit(c, Blobs(200, 1), Blobs(100, 2), options with { Seed = 6 });

        Assert.Equal(ra.History.Epochs.Select(e => e with { Seconds = 0 }), rb.History.Epochs.Select(e => e with { Seconds = 0 }));
        Weights.AssertEqual(Weights.Bits(a), Weights.Bits(b));
        // Dropout masks come from the seed: another seed trains to other weights.
        Assert.NotEqual(Weights.Bits(a)["layers.0.weight"], Weights.Bits(c)["layers.0.weight"]);
    }

    [Fact]
    public void ResumeAfterCancellation_EndsWithTheWeightsOfAnUninterruptedRun()
    {
        var options = new TrainerOptions
        {
            Epochs = 4, Optimizer = new OptimizerSpec(OptimizerKind.Momentum, 0.05), Seed = 3, RestoreBestWeights = false,
            Schedule = new LearningRateSchedule(ScheduleKind.Cosine),
        };
        using var straight = new TinyMlp(4, 16, 3, seed: 2, dropout: 0.2);
        var full = Trainer.Fit(straight, Blobs(200, 1), Blobs(100, 2), options with { CheckpointFolder = Path.Combine(folder, "full") });

        // Interrupt after epoch 2: cancel from the epoch-2 report, so epoch 3 never starts.
        using var cancel = new CancellationTokenSource();
        var interruptedOptions = options with { CheckpointFolder = Path.Combine(folder, "cut") };
        using var first = new TinyMlp(4, 16, 3, seed: 2, dropout: 0.2);
        var progress = new InlineProgress(p => { if (p.Completed?.Epoch == 2) cancel.Cancel(); });
        var stopped = Assert.Throws<TrainingCanceledException>(() => Trainer.Fit(first, Blobs(200, 1), Blobs(100, 2), interruptedOptions, progress, cancel.Token));
        Assert.Equal(2, stopped.History.Epochs.Count);
        Assert.NotNull(stopped.Checkpoint);
        Assert.Equal(2, TrainingCheckpoint.ReadInfo(stopped.Checkpoint).CompletedEpochs);

        using var second = new TinyMlp(4, 16, 3, seed: 77, dropout: 0.2); // other initial weights: all must come from the checkpoint
        var resumed = Trainer.Resume(second, Blobs(200, 1), Blobs(100, 2), interruptedOptions, stopped.Checkpoint);

        Weights.AssertEqual(Weights.Bits(straight), Weights.Bits(second));
        Assert.Equal(full.History.Epochs.Select(e => e with { Seconds = 0 }), resumed.History.Epochs.Select(e => e with { Seconds = 0 }));
        Assert.Equal(full.BestEpoch, resumed.BestEpoch);
    }

    [Fact]
    public void CancellationMidEpoch_ThrowsBetweenBatchesAndLeavesTheLastCheckpointIntact()
    {
        byte[]? afterEpochOne = null;
        var last = Path.Combine(folder, TrainingCheckpoint.LastFileName);
        using var cancel = new CancellationTokenSource();
        var progress = new InlineProgress(p =>
        {
            if (p.Completed?.Epoch == 1)
                afterEpochOne = File.ReadAllBytes(last);
            if (p.Epoch == 2 && p.Batch == 3)
                cancel.Cancel();
        });
        using var model = new TinyMlp(4, 8, 3, seed: 1);
        var options = Adam(5) with { CheckpointFolder = folder, ProgressInterval = 1 };

        var e = Assert.Throws<TrainingCanceledException>(() => Trainer.Fit(model, Blobs(200, 1), Blobs(100, 2), options, progress, cancel.Token));

        Assert.Single(e.History.Epochs);
        Assert.Equal(last, e.Checkpoint);
        Assert.Contains("epoch 2", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, progress.Reports[^1].Batch); // stopped right after the batch that cancelled
        Assert.Equal(afterEpochOne, File.ReadAllBytes(last));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void CheckpointRoundTrip_IsBitExact()
    {
        using var trained = new TinyMlp(4, 8, 3, seed: 1);
        var result = Trainer.Fit(trained, Blobs(100, 1), Blobs(60, 2), Adam(2) with { CheckpointFolder = folder, RestoreBestWeights = false });
        var path = Path.Combine(folder, "weights.pt");
        TrainingCheckpoint.SaveWeights(trained, path);

        using var other = new TinyMlp(4, 8, 3, seed: 42);
        other.load(path);
        Weights.AssertEqual(Weights.Bits(trained), Weights.Bits(other));

        var info = TrainingCheckpoint.ReadInfo(Path.Combine(folder, TrainingCheckpoint.LastFileName));
        Assert.Equal(result.History.Epochs, info.History.Epochs);
        Assert.Equal(2, info.CompletedEpochs);
        Assert.Equal(["class 0", "class 1", "class 2"], info.ClassNames);
        Assert.True(File.Exists(Path.Combine(folder, TrainingCheckpoint.BestFileName)));
    }

    [Fact]
    public void RestoreBestWeights_LeavesTheModelEqualToBestPt()
    {
        using var model = new TinyMlp(4, 8, 3, seed: 1);
        var result = Trainer.Fit(model, Blobs(100, 1), Blobs(60, 2), new TrainerOptions { Epochs = 4, Optimizer = new OptimizerSpec(OptimizerKind.Sgd, 2.0), CheckpointFolder = folder });
        using var fromDisk = new TinyMlp(4, 8, 3, seed: 42);
        fromDisk.load(Path.Combine(folder, TrainingCheckpoint.BestFileName));

        Assert.True(result.RestoredBestWeights);
        Weights.AssertEqual(Weights.Bits(fromDisk), Weights.Bits(model));
        Assert.Equal(result.History.Epochs.Min(e => e.ValidationLoss), result.BestValue);
    }

    [Fact]
    public void ConstantValidationLoss_StopsEarlyAfterPatienceEpochs()
    {
        // Learning rate 0: the weights never move, so the validation loss is the same every epoch up to rounding (the
        // source reshuffles, changing the summation order; MinDelta absorbs that); epoch 1 stays best and training
        // must stop after exactly 1 + patience epochs.
        using var model = new TinyMlp(4, 8, 3, seed: 1);
        var options = new TrainerOptions
        {
            Epochs = 10, OptimizerFactory = ps => torch.optim.SGD(ps, 0.0), EarlyStopping = new EarlyStopping(Patience: 3, MinDelta: 1e-6),
        };
        var result = Trainer.Fit(model, Blobs(100, 1), Blobs(60, 2), options);

        Assert.Equal(StopReason.EarlyStopped, result.Stop);
        Assert.Equal(4, result.History.Epochs.Count);
        Assert.Equal(1, result.BestEpoch);
        Assert.Contains("Stopped early after epoch 4", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaNInput_IsCaughtAtItsStepWhichIsNotTaken()
    {
        var (inputs, targets) = Rows(64, 3);
        var source = new ArraySource(inputs, targets, 16, ["a", "b", "c"]) { PoisonAt = (2, 3) };
        using var model = new TinyMlp(3, 8, 3, seed: 1);

        var result = Trainer.Fit(model, source, null, new TrainerOptions { Epochs = 5, Optimizer = new OptimizerSpec(OptimizerKind.Sgd, 0.1) });

        Assert.Equal(StopReason.Diverged, result.Stop);
        var divergence = Assert.IsType<Divergence>(result.Divergence);
        Assert.Equal((2, 3, false), (divergence.Epoch, divergence.Step, divergence.DuringValidation));
        Assert.True(double.IsNaN(divergence.Loss));
        Assert.Single(result.History.Epochs);
        Assert.True(Weights.AllFinite(model), "a step was taken on the NaN loss");
        Assert.Contains("epoch 2, training batch 3", result.Message, StringComparison.Ordinal);
        Assert.Contains("NaN", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HugeLearningRate_DivergesWithAClearMessage()
    {
        using var model = new TinyMlp(4, 16, 3, seed: 1);
        var result = Trainer.Fit(model, Blobs(200, 1), Blobs(60, 2), new TrainerOptions { Epochs = 20, Optimizer = new OptimizerSpec(OptimizerKind.Sgd, 1e12) });

        Assert.Equal(StopReason.Diverged, result.Stop);
        Assert.NotNull(result.Divergence);
        Assert.False(double.IsFinite(result.Divergence.Loss));
        Assert.Contains("Lower the learning rate", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelWithTheWrongClassCount_IsRejectedBeforeTheLoss()
    {
        using var model = new TinyMlp(4, 8, 4, seed: 1); // 4 outputs, 3 classes
        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, Blobs(100, 1), null, Adam(1)));
        Assert.Contains("[32, 4]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[32, 3]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadInput_GetsSpecificErrors()
    {
        using var model = new TinyMlp(4, 8, 3, seed: 1);
        var train = Blobs(100, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(model, train, null, Adam(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(model, train, train, Adam(2) with { EarlyStopping = new EarlyStopping(Patience: 0) }));
        Assert.Throws<ArgumentException>(() => Trainer.Fit(model, train, null, Adam(2) with { EarlyStopping = new EarlyStopping() }));
        Assert.Throws<ArgumentException>(() => Trainer.Fit(model, train, null, Adam(2) with { Optimizer = new OptimizerSpec(OptimizerKind.Lbfgs, 1) }));
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => Trainer.Fit(model, Blobs(0, 1), null, Adam(1))).Message, StringComparison.Ordinal);
        var empty = new ArraySource([], [], 8, ["a", "b", "c"]) { ReportedCount = 10 };
        Assert.Contains("no batches", Assert.Throws<ArgumentException>(() => Trainer.Fit(model, empty, null, Adam(1))).Message, StringComparison.Ordinal);
        Assert.Contains("differ", Assert.Throws<ArgumentException>(() => Trainer.Fit(model, train, Blobs(50, 2, classes: 4), Adam(1))).Message, StringComparison.Ordinal);
        var (inputs, _) = Rows(8, 4);
        var outOfRange = new ArraySource(inputs, [0, 1, 2, 3, 0, 1, 2, 0], 8, ["a", "b", "c"]);
        var badTarget = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, outOfRange, null, Adam(1))).Message;
        Assert.Contains("Target 3 is out of bounds", badTarget, StringComparison.Ordinal);
        Assert.Contains("training batch 1 of epoch 1", badTarget, StringComparison.Ordinal);
        Assert.Contains("from 0 to 2", badTarget, StringComparison.Ordinal);
    }

    [Fact]
    public void UnwritableCheckpointFolder_FailsBeforeTraining()
    {
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "a-file");
        File.WriteAllText(file, "not a folder");
        using var model = new TinyMlp(4, 8, 3, seed: 1);
        var before = Weights.Bits(model);

        var e = Assert.Throws<IOException>(() => Trainer.Fit(model, Blobs(100, 1), null, Adam(2) with { CheckpointFolder = Path.Combine(file, "checkpoints") }));

        Assert.Contains("cannot be written", e.Message, StringComparison.Ordinal);
        Weights.AssertEqual(before, Weights.Bits(model));
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Fact]
    public void Progress_ReportsBatchesAndEpochs()
    {
        var progress = new InlineProgress(_ => { });
        using var model = new TinyMlp(4, 8, 3, seed: 1);
        Trainer.Fit(model, Blobs(200, 1), Blobs(60, 2), Adam(2) with { ProgressInterval = 3 }, progress);

        // 200 samples in batches of 32 = 7 batches: reports after batches 3, 6, 7, then the epoch record.
        var epoch1 = progress.Reports.Where(p => p.Epoch == 1).ToList();
        Assert.Equal([3, 6, 7, 7], epoch1.Select(p => p.Batch));
        Assert.All(epoch1.Take(3), p => Assert.Null(p.BatchesPerEpoch));
        Assert.Equal(7, progress.Reports.First(p => p.Epoch == 2).BatchesPerEpoch);
        Assert.Equal(1.0, epoch1[^1].Fraction);
        Assert.NotNull(epoch1[^1].Completed);
        Assert.Equal(epoch1[^1].Completed!.TrainLoss, epoch1[^2].RunningLoss);
    }

    private static (float[][] Inputs, long[] Targets) Rows(int count, int features)
    {
        var random = new Random(5);
        var inputs = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, features).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        return (inputs, Enumerable.Range(0, count).Select(i => (long)(i % 3)).ToArray());
    }
}
