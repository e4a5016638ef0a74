using System.Text;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.TorchBasics;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Tests.Training;

/// <summary>A checkpoint folder belongs to one run: no silent overwrite, no two writers, no mixed or corrupt files accepted.</summary>
[Collection(SeededTorchRandom.Name)]
[Trait("Tier", "unit")]
public sealed class CheckpointFolderTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "studydl-ckfolder-" + Guid.NewGuid().ToString("N"));

    public CheckpointFolderTests() => TorchRuntime.EnsureLoaded();

    public void Dispose()
    {
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
    }

    private static GaussianBlobSource Blobs(int samples, int seed) => new(samples, 3, features: 4, separation: 4, batchSize: 32, seed, false);

    private TrainerOptions Options(string name, int epochs = 3) => new()
    {
        Epochs = epochs, Optimizer = new OptimizerSpec(OptimizerKind.Momentum, 0.05), Seed = 3, CheckpointFolder = Path.Combine(root, name),
    };

    private static string Last(TrainerOptions o) => Path.Combine(o.CheckpointFolder!, TrainingCheckpoint.LastFileName);

    private static string Best(TrainerOptions o) => Path.Combine(o.CheckpointFolder!, TrainingCheckpoint.BestFileName);

    private static TrainingResult Fit(TrainerOptions options, int modelSeed = 2, int trainSamples = 200, IProgress<TrainingProgress>? progress = null)
    {
        using var model = new TinyMlp(4, 16, 3, seed: modelSeed);
        return Trainer.Fit(model, Blobs(trainSamples, 1), Blobs(100, 2), options, progress);
    }

    private static TrainingResult Resume(TrainerOptions options, int trainSamples = 200)
    {
        using var model = new TinyMlp(4, 16, 3, seed: 77);
        return Trainer.Resume(model, Blobs(trainSamples, 1), Blobs(100, 2), options, Last(options));
    }

    [Fact]
    public void FreshRun_RefusesAFolderHoldingAnotherRunsCheckpoints_AndLeavesItsFilesAlone()
    {
        var options = Options("a", epochs: 2);
        Fit(options);
        var last = File.ReadAllBytes(Last(options));
        var best = File.ReadAllBytes(Best(options));

        var e = Assert.ThrowsAny<InvalidOperationException>(() => Fit(options with { Seed = 4 }, modelSeed: 5));

        Assert.Contains(Path.GetFullPath(options.CheckpointFolder!), e.Message, StringComparison.Ordinal);
        Assert.Contains("last.ckpt", e.Message, StringComparison.Ordinal);
        Assert.Contains("overwrite", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(last, File.ReadAllBytes(Last(options)));
        Assert.Equal(best, File.ReadAllBytes(Best(options)));
    }

    [Fact]
    public async Task SecondRunOnTheSameFolder_IsRefusedNamingTheHoldersPid()
    {
        var options = Options("shared", epochs: 2);
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var progress = new InlineProgress(p =>
        {
            if (p.Epoch == 1 && !inside.IsSet)
            {
                inside.Set();
                release.Wait(TimeSpan.FromMinutes(1));
            }
        });
        var first = Task.Run(() => Fit(options, progress: progress));
        try
        {
            Assert.True(inside.Wait(TimeSpan.FromMinutes(1)), "the first run never started");
            var e = Assert.ThrowsAny<Exception>(() => Fit(options with { CheckpointFolder = options.CheckpointFolder + Path.DirectorySeparatorChar }));
            Assert.True(e is IOException or InvalidOperationException, e.ToString());
            Assert.Contains($"PID {Environment.ProcessId}", e.Message, StringComparison.Ordinal);
            Assert.Contains("run.lock", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            release.Set();
        }
        Assert.Equal(StopReason.Completed, (await first).Stop);
        // The holder finished cleanly and released the folder: resuming (to more epochs) works.
        Assert.Equal(3, Resume(options with { Epochs = 3 }).History.Epochs.Count);
    }

    [Fact]
    public void Resume_RefusesABestPtFromAnotherRun()
    {
        var mine = Options("mine");
        var other = Options("other");
        Fit(mine);
        Fit(other, modelSeed: 9);
        foreach (var name in new[] { TrainingCheckpoint.BestFileName, "best.json" })
        {
            if (File.Exists(Path.Combine(other.CheckpointFolder!, name)))
                File.Copy(Path.Combine(other.CheckpointFolder!, name), Path.Combine(mine.CheckpointFolder!, name), overwrite: true);
        }

        var e = Assert.ThrowsAny<InvalidDataException>(() => Resume(mine with { Epochs = 4 }));

        Assert.Contains(Best(mine), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5)]  // the middle of the file: the weights
    [InlineData(0.97)] // near the end: the optimiser's state
    public void FlippedByte_InTheResumeCheckpoint_IsRefusedNamingTheFile(double where)
    {
        var options = Options("flip", epochs: 2);
        Fit(options);
        var bytes = File.ReadAllBytes(Last(options));
        bytes[(int)(bytes.Length * where)] ^= 0x10;
        File.WriteAllBytes(Last(options), bytes);

        var e = Assert.ThrowsAny<InvalidDataException>(() => Resume(options with { Epochs = 3 }));

        Assert.Contains(Last(options), e.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EditedCompletedEpochs_IsRefused()
    {
        var options = Options("edited", epochs: 2);
        Fit(options);
        var bytes = File.ReadAllBytes(Last(options));
        var text = Encoding.Latin1.GetString(bytes);
        var at = text.IndexOf("\"CompletedEpochs\":2", StringComparison.Ordinal);
        Assert.True(at >= 0, "the checkpoint does not spell CompletedEpochs as expected");
        bytes[at + "\"CompletedEpochs\":".Length] = (byte)'4';
        File.WriteAllBytes(Last(options), bytes);

        // Without the check this resume "completed 4 epochs" after training none.
        var e = Assert.ThrowsAny<InvalidDataException>(() => Resume(options with { Epochs = 4 }));
        Assert.Contains(Last(options), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptBestPt_ErrorNamesTheFile()
    {
        var options = Options("badbest");
        Fit(options);
        var bytes = File.ReadAllBytes(Best(options));
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(Best(options), bytes);

        var e = Assert.ThrowsAny<InvalidDataException>(() => Resume(options with { Epochs = 4 }));
        Assert.Contains(Best(options), e.Message, StringComparison.Ordinal);

        File.WriteAllBytes(Best(options), bytes[..(bytes.Length / 3)]);
        e = Assert.ThrowsAny<InvalidDataException>(() => Resume(options with { Epochs = 4 }));
        Assert.Contains(Best(options), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_WithOptionsThatChangeTheHistory_IsRefusedNamingEachDifference()
    {
        var options = Options("changed");
        Fit(options);
        var before = File.ReadAllBytes(Last(options));

        var e = Assert.ThrowsAny<Exception>(() => Resume(options with { Epochs = 4, Optimizer = new OptimizerSpec(OptimizerKind.Momentum, 0.1) }, trainSamples: 150));
        Assert.True(e is InvalidOperationException or ArgumentException, e.ToString());
        Assert.Contains("learning rate 0.05 → 0.1", e.Message, StringComparison.Ordinal);
        Assert.Contains("training samples 200 → 150", e.Message, StringComparison.Ordinal);
        Assert.Contains(Last(options), e.Message, StringComparison.Ordinal);

        e = Assert.ThrowsAny<Exception>(() => Resume(options with { Epochs = 2 }));
        Assert.Contains("3 epochs", e.Message, StringComparison.Ordinal);
        Assert.Contains("2", e.Message, StringComparison.Ordinal);

        e = Assert.ThrowsAny<Exception>(() => Resume(options with { Epochs = 4, Schedule = new LearningRateSchedule(ScheduleKind.Cosine) }));
        Assert.Contains("schedule", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(Last(options)));
    }

    [Fact]
    public void StaleTemporaryFiles_OfAKilledRun_AreRemovedWhenTheFolderIsOpened_OthersStay()
    {
        var options = Options("stale", epochs: 1);
        Directory.CreateDirectory(options.CheckpointFolder!);
        string[] ours = [$".last.ckpt.{Guid.NewGuid():N}.tmp", $".best.pt.{Guid.NewGuid():N}.tmp"];
        string[] notOurs = [".last.ckpt.mine.tmp", "notes.tmp", $"last.ckpt.{Guid.NewGuid():N}.tmp"];
        foreach (var name in ours.Concat(notOurs))
            File.WriteAllText(Path.Combine(options.CheckpointFolder!, name), "half a checkpoint");

        Fit(options);

        Assert.All(ours, name => Assert.False(File.Exists(Path.Combine(options.CheckpointFolder!, name)), name));
        Assert.All(notOurs, name => Assert.True(File.Exists(Path.Combine(options.CheckpointFolder!, name)), name));
    }

    [Fact]
    public void Overwrite_ReplacesTheOldFilesOnlyWhenTheNewRunWritesItsFirstCheckpoint()
    {
        var options = Options("overwrite", epochs: 2);
        Fit(options);
        var oldRun = TrainingCheckpoint.ReadInfo(Last(options)).RunId;
        var last = File.ReadAllBytes(Last(options));
        var best = File.ReadAllBytes(Best(options));
        var checkedMidEpoch = false;
        var progress = new InlineProgress(p =>
        {
            if (p.Epoch == 1 && p.Completed is null && !checkedMidEpoch)
            {
                checkedMidEpoch = true;
                Assert.Equal(last, File.ReadAllBytes(Last(options)));
                Assert.Equal(best, File.ReadAllBytes(Best(options)));
            }
        });

        Fit(options with { Seed = 4, OverwriteCheckpoints = true, ProgressInterval = 1 }, modelSeed: 5, progress: progress);

        Assert.True(checkedMidEpoch);
        var newRun = TrainingCheckpoint.ReadInfo(Last(options)).RunId;
        Assert.NotEqual(oldRun, newRun);
        Assert.Contains(newRun.ToString(), File.ReadAllText(Path.Combine(options.CheckpointFolder!, "best.json")), StringComparison.Ordinal);

        // A new run without validation writes no best.pt: the old run's must not stay beside its last.ckpt.
        using var model = new TinyMlp(4, 16, 3, seed: 6);
        Trainer.Fit(model, Blobs(200, 1), null, options with { OverwriteCheckpoints = true });
        Assert.False(File.Exists(Best(options)));
        Assert.False(File.Exists(Path.Combine(options.CheckpointFolder!, "best.json")));
    }

    [Fact]
    public void RunId_IsKeptAcrossResumes_AndBestPtStaysLoadableByModuleLoad()
    {
        var options = Options("runid", epochs: 2);
        Fit(options);
        var run = TrainingCheckpoint.ReadInfo(Last(options)).RunId;
        Assert.NotEqual(Guid.Empty, run);

        var resumed = Resume(options with { Epochs = 3 });

        Assert.Equal(3, resumed.History.Epochs.Count);
        Assert.Equal(run, TrainingCheckpoint.ReadInfo(Last(options)).RunId);
        using var fromDisk = new TinyMlp(4, 16, 3, seed: 42);
        fromDisk.load(Best(options));
        ModelWeights.Load(fromDisk, Best(options));
    }

    [Theory]
    [InlineData(3, new[] { 1, 2 })]    // says 3 epochs, holds 2
    [InlineData(2, new[] { 1, 1 })]    // a duplicated epoch
    [InlineData(2, new[] { 2, 3 })]    // not numbered from 1
    public void InconsistentHistory_IsRefusedNamingTheFile(int completed, int[] epochs)
    {
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, "inconsistent.ckpt");
        using var model = new TinyMlp(4, 16, 3, seed: 1);
        using var optimizer = TorchSharp.torch.optim.SGD(model.parameters(), 0.1);
        var history = new TrainingHistory([.. epochs.Select(e => new EpochRecord(e, 1, 0.5, 1, 0.5, 0.1, 1))]);
        var info = new CheckpointInfo(completed, 0, optimizer.GetType().Name, ["a", "b", "c"], history, null, null, 0, Guid.NewGuid(), new Dictionary<string, string>());
        TrainingCheckpoint.Save(path, info, model, optimizer);

        var e = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.ReadInfo(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("history", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KilledBetweenBestPtAndLastCkpt_ResumesToTheUninterruptedRunsFiles()
    {
        // The window a kill can hit: epoch 3 improved, best.pt and best.json are written, last.ckpt is still epoch 2's.
        var options = Options("window") with { RestoreBestWeights = false };
        byte[]? lastAfterTwo = null;
        var result = Fit(options, progress: new InlineProgress(p =>
        {
            if (p.Completed?.Epoch == 2)
                lastAfterTwo = File.ReadAllBytes(Last(options));
        }));
        Assert.Equal(3, result.BestEpoch); // precondition: epoch 3 improved, so best.pt is ahead of the restored last.ckpt
        var straightLast = File.ReadAllBytes(Last(options));
        var straightBest = File.ReadAllBytes(Best(options));
        File.WriteAllBytes(Last(options), lastAfterTwo!);

        var resumed = Resume(options);

        Assert.Equal(3, resumed.BestEpoch);
        Assert.Equal(straightBest, File.ReadAllBytes(Best(options)));
        Assert.Equal(Payload(straightLast), Payload(File.ReadAllBytes(Last(options))));
    }

    /// <summary>A resume checkpoint's weights and optimiser state: the bytes after its JSON (which holds wall times).</summary>
    internal static byte[] Payload(byte[] checkpoint)
    {
        using var reader = new BinaryReader(new MemoryStream(checkpoint));
        reader.ReadString();   // magic
        reader.ReadInt32();    // format
        reader.ReadBytes(32);  // SHA-256
        reader.ReadString();   // JSON
        return reader.ReadBytes(checkpoint.Length);
    }

    [Fact]
    public void Resume_IntoAnotherArchitecture_IsRefused_AndLeavesTheModelUnchanged()
    {
        var options = Options("arch", epochs: 2);
        Fit(options);
        using var wider = new TinyMlp(4, 32, 3, seed: 9);
        var before = wider.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());

        var e = Assert.Throws<InvalidDataException>(() =>
            Trainer.Resume(wider, Blobs(200, 1), Blobs(100, 2), options with { Epochs = 3 }, Last(options)));

        Assert.Contains(Path.GetFullPath(Last(options)), e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was loaded", e.Message, StringComparison.Ordinal);
        foreach (var (name, tensor) in wider.state_dict())
            Assert.True(tensor.equal(before[name]).all().item<bool>(), $"{name} changed although the checkpoint was refused");
        foreach (var tensor in before.Values)
            tensor.Dispose();
    }
}
