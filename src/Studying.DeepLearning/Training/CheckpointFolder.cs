using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Plotting;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Training;

/// <summary>Who holds a checkpoint folder (written into <c>run.lock</c> and <c>run.owner</c>).</summary>
/// <param name="Pid">The holder's process id.</param>
/// <param name="Host">The holder's machine name.</param>
/// <param name="Started">When the holder took the folder.</param>
internal sealed record RunLockHolder(int Pid, string Host, DateTimeOffset Started);

/// <summary>Which run and epoch <c>best.pt</c> belongs to, and its SHA-256 (the sidecar <c>best.json</c>).</summary>
/// <param name="RunId">The run that wrote it.</param>
/// <param name="Epoch">The epoch whose weights it holds.</param>
/// <param name="Sha256">The file's SHA-256, lower-case hex.</param>
internal sealed record BestInfo(Guid RunId, int Epoch, string Sha256);

/// <summary>
/// A checkpoint folder owned by one run while it trains: an exclusive lock on <c>run.lock</c> (an OS lock, released
/// when the process ends, also by SIGKILL) keeps a second run — in another process or another thread — out; a fresh
/// run refuses a folder that already holds checkpoints unless overwriting was asked for; stale temporary files of a
/// killed run are removed on opening; <c>best.pt</c> is tied to its run and epoch by <c>best.json</c>.
/// </summary>
/// <remarks>
/// Commit order of an improving epoch: the new <c>best.pt</c> is written to a temporary file, <c>best.json</c> (run id,
/// epoch, SHA-256) is replaced, <c>best.pt</c> is renamed into place, and only then <c>last.ckpt</c> is replaced. A kill
/// between these steps leaves a <c>best.json</c> ahead of <c>last.ckpt</c>: that epoch is replayed on resume (bit-exact)
/// and rewrites both.
/// </remarks>
internal sealed class CheckpointFolder : IDisposable
{
    /// <summary>The lock file.</summary>
    public const string LockFileName = "run.lock";

    /// <summary>A readable copy of the holder (the lock file itself cannot be opened while held).</summary>
    public const string OwnerFileName = "run.owner";

    /// <summary>The sidecar of <c>best.pt</c>.</summary>
    public const string BestInfoFileName = "best.json";

    // Exactly the names AtomicFile gives its temporary files (".<name>.<32 hex>.tmp") for the files we write, and the write probe.
    private static readonly Regex OurTemporaryFile = new(
        @"^(\.(last\.ckpt|best\.pt|best\.json|run\.owner)\.[0-9a-f]{32}\.tmp|\.write-test-[0-9a-f]{32}\.tmp)$", RegexOptions.CultureInvariant);

    // Folders held in this process: a second guard besides the OS lock, for file systems without flock.
    private static readonly ConcurrentDictionary<string, byte> HeldHere = new(StringComparer.Ordinal);

    private readonly FileStream lockStream;
    private readonly bool fresh;
    private bool wroteLast;

    private CheckpointFolder(string path, FileStream lockStream, bool fresh)
    {
        FolderPath = path;
        this.lockStream = lockStream;
        this.fresh = fresh;
    }

    /// <summary>The folder's full path.</summary>
    public string FolderPath { get; }

    /// <summary><c>last.ckpt</c> in the folder.</summary>
    public string LastPath => Path.Combine(FolderPath, TrainingCheckpoint.LastFileName);

    /// <summary><c>best.pt</c> in the folder.</summary>
    public string BestPath => Path.Combine(FolderPath, TrainingCheckpoint.BestFileName);

    /// <summary>
    /// Takes the folder for a run (creating it): checks it is writable, locks it, removes our stale temporary files,
    /// and refuses it if it holds another run's checkpoints and neither resuming nor overwriting was asked for.
    /// </summary>
    /// <param name="folder">The folder, or <see langword="null"/> for none (returns <see langword="null"/>).</param>
    /// <param name="resumeFrom">The <c>last.ckpt</c> being resumed, or <see langword="null"/> for a fresh run.</param>
    /// <param name="overwrite">Whether a fresh run may replace the folder's checkpoints (when it writes its first one).</param>
    /// <exception cref="IOException">The folder cannot be written, or another run holds it.</exception>
    /// <exception cref="InvalidOperationException">The folder holds checkpoints of another run.</exception>
    public static CheckpointFolder? Open(string? folder, string? resumeFrom, bool overwrite)
    {
        if (folder is null)
            return null;
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".write-test-{Guid.NewGuid():N}.tmp");
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"The checkpoint folder {full} cannot be written ({e.Message}); choose a writable folder or none. Nothing was trained.", e);
        }

        var opened = new CheckpointFolder(full, Lock(full), resumeFrom is null);
        try
        {
            opened.RemoveStaleTemporaryFiles();
            opened.CheckOccupancy(resumeFrom, overwrite);
            return opened;
        }
        catch
        {
            opened.Dispose();
            throw;
        }
    }

    private static FileStream Lock(string folder)
    {
        var lockPath = Path.Combine(folder, LockFileName);
        if (!HeldHere.TryAdd(folder, 0))
            throw InUse(folder, lockPath, null);
        FileStream stream;
        try
        {
            // FileShare.None takes an exclusive flock on Unix (a sharing lock on Windows): the OS drops it when the process dies.
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            HeldHere.TryRemove(folder, out _);
            throw InUse(folder, lockPath, e);
        }
        catch
        {
            HeldHere.TryRemove(folder, out _);
            throw;
        }
        try
        {
            var holder = JsonSerializer.Serialize(new RunLockHolder(Environment.ProcessId, Environment.MachineName, DateTimeOffset.UtcNow));
            stream.SetLength(0);
            stream.Write(Encoding.UTF8.GetBytes(holder + "\n"));
            stream.Flush();
            AtomicFile.Write(Path.Combine(folder, OwnerFileName), temporary => File.WriteAllText(temporary, holder));
            return stream;
        }
        catch
        {
            stream.Dispose();
            HeldHere.TryRemove(folder, out _);
            throw;
        }
    }

    private static IOException InUse(string folder, string lockPath, Exception? inner)
    {
        string who;
        try
        {
            var holder = JsonSerializer.Deserialize<RunLockHolder>(File.ReadAllText(Path.Combine(folder, OwnerFileName)));
            who = holder is null ? "another run" : string.Create(CultureInfo.InvariantCulture, $"another run (PID {holder.Pid} on {holder.Host}, since {holder.Started:yyyy-MM-dd HH:mm:ss}Z)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            who = "another run (its PID is not recorded yet)";
        }
        return new IOException($"The checkpoint folder {folder} is in use by {who}, which holds {lockPath}; wait for it to finish, stop it, or choose another folder.", inner);
    }

    private void RemoveStaleTemporaryFiles()
    {
        foreach (var file in Directory.EnumerateFiles(FolderPath))
        {
            if (OurTemporaryFile.IsMatch(Path.GetFileName(file)))
                File.Delete(file);
        }
    }

    private void CheckOccupancy(string? resumeFrom, bool overwrite)
    {
        if (overwrite)
            return;
        var resumingHere = resumeFrom is not null
            && string.Equals(Path.GetFullPath(resumeFrom), LastPath, StringComparison.Ordinal);
        if (resumingHere)
            return;
        // A best.pt with its best.json but no last.ckpt is the first epoch of a run killed before its first commit:
        // no resumable work, so the folder is free. A best.pt without best.json is not ours to judge.
        var held = new List<string>();
        if (File.Exists(LastPath))
            held.Add(TrainingCheckpoint.LastFileName);
        if (File.Exists(BestPath) && (held.Count > 0 || !File.Exists(Path.Combine(FolderPath, BestInfoFileName))))
            held.Add(TrainingCheckpoint.BestFileName);
        if (held.Count == 0)
            return;
        var run = "";
        try
        {
            var info = TrainingCheckpoint.ReadInfo(LastPath);
            run = string.Create(CultureInfo.InvariantCulture, $" (run {info.RunId}, {info.CompletedEpochs} epoch{(info.CompletedEpochs == 1 ? "" : "s")} done)");
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            // The refusal stands whatever the file holds.
        }
        throw new InvalidOperationException(
            $"The checkpoint folder {FolderPath} already holds {string.Join(" and ", held)} of another run{run}; resume it (--resume, Trainer.Resume), " +
            "choose another folder, or allow overwriting (--overwrite, TrainerOptions.OverwriteCheckpoints: the old files are replaced when the new run writes its first checkpoint).");
    }

    /// <summary>Writes <c>best.pt</c> and its <c>best.json</c> (see the commit order in the remarks).</summary>
    public void WriteBest(nn.Module model, Guid runId, int epoch)
    {
        var temporary = Path.Combine(FolderPath, $".{TrainingCheckpoint.BestFileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            model.save(temporary);
            var info = new BestInfo(runId, epoch, Sha256(temporary));
            AtomicFile.Write(Path.Combine(FolderPath, BestInfoFileName), t => File.WriteAllText(t, JsonSerializer.Serialize(info)));
            File.Move(temporary, BestPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    /// <summary>
    /// Replaces <c>last.ckpt</c>. A fresh run's first write first removes a <c>best.pt</c> that is not its own (an
    /// overwritten run's), so the folder never pairs this run's state with another run's best weights.
    /// </summary>
    public void WriteLast(CheckpointInfo info, nn.Module model, optim.Optimizer optimizer)
    {
        if (fresh && !wroteLast)
        {
            var bestInfo = Path.Combine(FolderPath, BestInfoFileName);
            if (ReadBestInfo(bestInfo)?.RunId != info.RunId)
            {
                File.Delete(BestPath);
                File.Delete(bestInfo);
            }
        }
        TrainingCheckpoint.Save(LastPath, info, model, optimizer);
        wroteLast = true;
    }

    private static BestInfo? ReadBestInfo(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<BestInfo>(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The options that give a run's history its meaning, by name, as stored in every checkpoint.</summary>
    public static Dictionary<string, string> Define(TrainerOptions options, IBatchSource train, IBatchSource? validation)
    {
        static string N(double x) => x.ToString(CultureInfo.InvariantCulture);
        var s = options.Schedule;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["optimizer"] = options.OptimizerFactory is null ? options.Optimizer.Kind.ToString() : "custom factory",
            ["learning rate"] = options.OptimizerFactory is null ? N(options.Optimizer.LearningRate) : "custom factory",
            ["momentum"] = options.OptimizerFactory is null ? N(options.Optimizer.Momentum) : "custom factory",
            ["weight decay"] = options.OptimizerFactory is null ? N(options.Optimizer.WeightDecay) : "custom factory",
            ["schedule"] = string.Create(CultureInfo.InvariantCulture, $"{s.Kind} (step size {s.StepSize}, gamma {s.Gamma}, minimum rate {s.MinimumLearningRate}, warm-up {s.WarmupEpochs})"),
            ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
            ["monitor"] = options.Monitor.ToString(),
            ["loss"] = options.Loss is null ? "cross-entropy" : "custom",
            ["gradient clipping"] = options.MaxGradientNorm is { } clip ? N(clip) : "none",
            ["training samples"] = train.SampleCount.ToString(CultureInfo.InvariantCulture),
            ["validation samples"] = validation?.SampleCount.ToString(CultureInfo.InvariantCulture) ?? "none",
        };
    }

    /// <summary>
    /// Checks a resume checkpoint against the run's options and sources, then loads its weights and optimiser state
    /// (the model is touched only after every check passed).
    /// </summary>
    public static CheckpointInfo LoadForResume(string path, nn.Module model, optim.Optimizer optimizer, IReadOnlyDictionary<string, string> definition,
        int epochs, IReadOnlyList<string> classNames)
    {
        var full = Path.GetFullPath(path);
        var info = TrainingCheckpoint.ReadInfo(full);
        var stored = info.Options ?? new Dictionary<string, string>();
        var differences = definition
            .Where(kv => !stored.TryGetValue(kv.Key, out var old) || old != kv.Value)
            .Select(kv => $"{kv.Key} {(stored.TryGetValue(kv.Key, out var old) ? old : "(not recorded)")} → {kv.Value}")
            .ToList();
        if (differences.Count > 0)
        {
            throw new InvalidOperationException(
                $"{full}: the run was trained with other options than this resume gives ({string.Join("; ", differences)}); resume with the run's options, or start a fresh run in another folder.");
        }
        if (!info.ClassNames.SequenceEqual(classNames))
            throw new ArgumentException($"The checkpoint {full} has the classes ({string.Join(", ", info.ClassNames)}), the training source ({string.Join(", ", classNames)}).", nameof(classNames));
        if (info.CompletedEpochs > epochs)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{full}: the run has already done {info.CompletedEpochs} epochs, more than the {epochs} asked for; ask for at least {info.CompletedEpochs} epochs."));
        }
        TrainingCheckpoint.Load(full, model, optimizer);
        return info;
    }

    /// <summary>
    /// The best weights beside a resume checkpoint, checked to belong to its run and best epoch (SHA-256 from
    /// <c>best.json</c>); <see langword="null"/> if there is no <c>best.pt</c>, or if it is ahead of <c>last.ckpt</c>
    /// (a kill between the two writes: the replayed epoch rewrites it).
    /// </summary>
    public static Dictionary<string, Tensor>? ReadBest(string lastPath, CheckpointInfo info, nn.Module model)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(lastPath))!;
        var bestPath = Path.Combine(folder, TrainingCheckpoint.BestFileName);
        var bestInfoPath = Path.Combine(folder, BestInfoFileName);
        if (!File.Exists(bestPath))
            return null;
        if (!File.Exists(bestInfoPath))
            throw new InvalidDataException($"{bestPath}: no {BestInfoFileName} beside it records which run and epoch it belongs to; move it away (or start afresh with --overwrite) and resume again.");
        BestInfo best;
        try
        {
            best = JsonSerializer.Deserialize<BestInfo>(File.ReadAllText(bestInfoPath)) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{bestInfoPath}: not a readable record of best.pt ({e.Message}); the file is corrupt — move best.pt and best.json away and resume again.", e);
        }
        if (best.RunId != info.RunId)
        {
            throw new InvalidDataException(
                $"{bestPath}: belongs to run {best.RunId}, but {TrainingCheckpoint.LastFileName} beside it to run {info.RunId} — the files come from different runs; move best.pt and best.json away (or start afresh with --overwrite) and resume again.");
        }
        if (best.Epoch > info.CompletedEpochs)
            return null;
        if (best.Epoch != info.BestEpoch)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{bestPath}: holds epoch {best.Epoch}, but {TrainingCheckpoint.LastFileName} records epoch {info.BestEpoch} as the best; move best.pt and best.json away and resume again."));
        }
        if (!string.Equals(Sha256(bestPath), best.Sha256, StringComparison.Ordinal))
            throw new InvalidDataException($"{bestPath}: checksum mismatch — the file is corrupt; delete it or resume from another folder.");

        var current = Snapshot(model);
        try
        {
            ModelWeights.Load(model, bestPath);
            return Snapshot(model);
        }
        finally
        {
            model.load_state_dict(current);
            foreach (var tensor in current.Values)
                tensor.Dispose();
        }
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module model)
    {
        using var noGrad = no_grad();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    internal static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Releases the folder (the OS lock and this process's claim).</summary>
    public void Dispose()
    {
        lockStream.Dispose();
        HeldHere.TryRemove(FolderPath, out _);
    }
}
