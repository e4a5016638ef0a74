using System.Diagnostics;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Notebooks;
using Studying.DeepLearning.Tests.Training;
using Studying.DeepLearning.Training;
using Xunit.Abstractions;

namespace Studying.DeepLearning.Tests.Cli;

/// <summary><c>studydl train --checkpoints</c> as a real process: refusal, overwrite, resume, a held folder, and SIGKILL at any moment.</summary>
[Trait("Tier", "cli")]
public sealed class TrainCheckpointsCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("studydl-ckpt-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // A tiny real run: the bundled iris table, an MLP, one batch per epoch.
    private string[] Train(string folder, int epochs, params string[] extra) =>
        ["train", "--model", "mlp", "--dataset", "iris", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "1",
         "--checkpoints", Path.Combine(_root, folder), "--out", Path.Combine(_root, "out-" + folder), .. extra];

    [Fact]
    public async Task OccupiedFolder_IsRefusedWithOneLine_OverwriteAndResumeWork()
    {
        var (code, _, stderr) = await StudydlProcess.RunAsync(Train("a", 2));
        Assert.True(code == 0, stderr);
        var last = Path.Combine(_root, "a", TrainingCheckpoint.LastFileName);
        var before = File.ReadAllBytes(last);

        (code, _, stderr) = await StudydlProcess.RunAsync(Train("a", 2));

        Assert.Equal(1, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), l => l.StartsWith("studydl:", StringComparison.Ordinal));
        Assert.Contains("already holds last.ckpt", line, StringComparison.Ordinal);
        Assert.Contains("--overwrite", line, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(last));

        (code, _, stderr) = await StudydlProcess.RunAsync(Train("a", 3, "--resume"));
        Assert.True(code == 0, stderr);
        Assert.Equal(3, TrainingCheckpoint.ReadInfo(last).CompletedEpochs);

        (code, _, stderr) = await StudydlProcess.RunAsync(Train("a", 3, "--resume", "--lr", "0.01"));
        Assert.Equal(1, code);
        Assert.Contains("learning rate 0.001 → 0.01", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await StudydlProcess.RunAsync(Train("a", 2, "--overwrite"));
        Assert.True(code == 0, stderr);
        Assert.Equal(2, TrainingCheckpoint.ReadInfo(last).CompletedEpochs);
    }

    [Fact]
    public async Task FolderHeldByAnotherProcess_IsRefusedNamingItsPid()
    {
        TorchRuntime.EnsureLoaded();
        using (CheckpointFolder.Open(Path.Combine(_root, "held"), null, overwrite: false))
        {
            var (code, _, stderr) = await StudydlProcess.RunAsync(Train("held", 2));
            Assert.Equal(1, code);
            Assert.Contains($"PID {Environment.ProcessId}", stderr, StringComparison.Ordinal);
            Assert.Contains("run.lock", stderr, StringComparison.Ordinal);
        }
        // Released (as the OS releases it when a holder dies): the folder is usable again.
        var (again, _, error) = await StudydlProcess.RunAsync(Train("held", 2));
        Assert.True(again == 0, error);
    }

    [Fact]
    public async Task SigkillAtAnyMoment_LeavesAResumableFolder_WhoseFinishedRunEqualsAnUninterruptedOne()
    {
        const int Epochs = 200;
        var (code, _, stderr) = await StudydlProcess.RunAsync(Train("straight", Epochs));
        Assert.True(code == 0, stderr);
        var straight = File.ReadAllBytes(Path.Combine(_root, "straight", TrainingCheckpoint.LastFileName));
        var straightBest = File.ReadAllBytes(Path.Combine(_root, "straight", TrainingCheckpoint.BestFileName));

        // Kill points: fixed delays from the start (some before any checkpoint exists), and random moments after the
        // first last.ckpt appeared (mid-training, often mid-write).
        var random = new Random(7);
        var plans = new List<(string Name, double Seconds, bool AfterFirstCheckpoint)> { ("t0.3", 0.3, false), ("t1.5", 1.5, false) };
        for (var i = 0; i < 3; i++)
            plans.Add(($"ck{i}", random.NextDouble() * 0.5, true));

        var killedMidRun = 0;
        foreach (var (name, seconds, afterCheckpoint) in plans)
        {
            var folder = Path.Combine(_root, name);
            var (killed, epochsDone) = await KillDuringTraining(Train(name, Epochs), folder, seconds, afterCheckpoint);
            var last = Path.Combine(folder, TrainingCheckpoint.LastFileName);
            output.WriteLine($"{name}: {(killed ? "killed" : "ended before the kill")} with {(epochsDone is { } n ? $"{n} epochs in last.ckpt" : "no last.ckpt")}; files: {string.Join(", ", Directory.Exists(folder) ? Directory.GetFiles(folder).Select(Path.GetFileName) : [])}");

            // The folder is consistent: resume if a checkpoint was completed, otherwise a fresh run is allowed.
            var resume = File.Exists(last);
            if (killed && epochsDone is > 0 and < Epochs)
                killedMidRun++;
            (code, _, stderr) = await StudydlProcess.RunAsync(Train(name, Epochs, resume ? ["--resume"] : []));
            Assert.True(code == 0, $"{name}: {stderr}");
            Assert.Equal(CheckpointFolderTests.Payload(straight), CheckpointFolderTests.Payload(File.ReadAllBytes(last)));
            Assert.Equal(straightBest, File.ReadAllBytes(Path.Combine(folder, TrainingCheckpoint.BestFileName)));
            Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        }
        Assert.True(killedMidRun >= 3, $"only {killedMidRun} kills hit a run between its first and last checkpoint");
    }

    private static async Task<(bool Killed, int? EpochsDone)> KillDuringTraining(string[] arguments, string folder, double seconds, bool afterFirstCheckpoint)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var cli = Path.Combine(NotebookRunner.FindRepositoryRoot().FullName, "src", "Studying.DeepLearning.Cli", "bin", configuration, "net10.0", "studydl.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var drainOut = process.StandardOutput.ReadToEndAsync();
        var drainErr = process.StandardError.ReadToEndAsync();
        var last = Path.Combine(folder, TrainingCheckpoint.LastFileName);
        if (afterFirstCheckpoint)
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(last) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
                await Task.Delay(5);
        }
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var killed = !process.HasExited;
        if (killed)
            process.Kill(); // SIGKILL on Unix
        await process.WaitForExitAsync();
        await Task.WhenAll(drainOut, drainErr);
        return (killed, File.Exists(last) ? TrainingCheckpoint.ReadInfo(last).CompletedEpochs : null);
    }
}
