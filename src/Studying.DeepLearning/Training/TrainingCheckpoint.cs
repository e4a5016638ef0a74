using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Studying.DeepLearning.Plotting;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Training;

/// <summary>What a resume checkpoint records besides the tensors (stored as JSON inside the checkpoint file).</summary>
/// <param name="CompletedEpochs">Epochs done; a resume continues with the next.</param>
/// <param name="Seed">The run's <see cref="TrainerOptions.Seed"/>.</param>
/// <param name="Optimizer">The optimiser's type name (TorchSharp checks it again when loading its state).</param>
/// <param name="ClassNames">The training source's class names.</param>
/// <param name="History">The completed epochs.</param>
/// <param name="BestEpoch">The best epoch so far, or <see langword="null"/>.</param>
/// <param name="BestValue">Its monitored value.</param>
/// <param name="EpochsWithoutImprovement">Epochs since the best one (early-stopping counter).</param>
/// <param name="RunId">The run's identity: made when a fresh run starts, kept across resumes; <c>best.pt</c> must carry the same.</param>
/// <param name="Options">The options that give the history its meaning (learning rate, optimiser, schedule, seed, sample counts…), by name; a resume must give the same.</param>
public sealed record CheckpointInfo(int CompletedEpochs, long Seed, string Optimizer, IReadOnlyList<string> ClassNames, TrainingHistory History, int? BestEpoch, double? BestValue, int EpochsWithoutImprovement,
    Guid RunId = default, IReadOnlyDictionary<string, string>? Options = null);

/// <summary>
/// The checkpoint files of <see cref="Trainer"/>. <c>last.ckpt</c> holds, in one file, a header, the
/// <see cref="CheckpointInfo"/> as JSON, the module's state (TorchSharp's <c>module.save</c> format) and the
/// optimiser's state (TorchSharp's <c>save_state_dict</c>), so weights, optimiser and history can never disagree;
/// <c>best.pt</c> holds the best weights alone, loadable with <c>module.load(path)</c>. Every file is written to a
/// temporary file in the same folder and renamed over the old one: a crash or a full disk leaves the previous
/// checkpoint whole.
/// </summary>
/// <remarks>
/// Format 2 stores a SHA-256 of everything after it (the JSON, the weights, the optimiser's state), verified on every
/// read, and the history is checked against <see cref="CheckpointInfo.CompletedEpochs"/> (epochs 1…N in order): a
/// flipped bit or an edited file is refused with a message naming the file.
/// </remarks>
public static class TrainingCheckpoint
{
    /// <summary>The resume checkpoint's file name.</summary>
    public const string LastFileName = "last.ckpt";

    /// <summary>The best weights' file name.</summary>
    public const string BestFileName = "best.pt";

    private const string Magic = "studydl-training-checkpoint";
    private const int FormatVersion = 2;
    private const int HashBytes = 32;
    private const string EndMarker = "end";

    /// <summary>Reads the JSON part of a resume checkpoint, without touching any model.</summary>
    /// <param name="path">A <c>last.ckpt</c> file.</param>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of this format.</exception>
    public static CheckpointInfo ReadInfo(string path)
    {
        using var reader = Open(path);
        return ReadHeader(reader, Path.GetFullPath(path));
    }

    /// <summary>Writes weights only, atomically (loadable with <c>module.load</c>).</summary>
    /// <param name="model">The module whose parameters and buffers are saved.</param>
    /// <param name="path">The target file; its folder is created.</param>
    public static void SaveWeights(nn.Module model, string path) => ModelWeights.Save(model, path);

    internal static void Save(string path, CheckpointInfo info, nn.Module model, optim.Optimizer optimizer)
    {
        if (optimizer is not TorchSharp.Modules.OptimizerHelper helper)
            throw new InvalidOperationException($"The optimiser {optimizer.GetType().Name} cannot save its state; use one of TorchSharp's torch.optim optimisers or no checkpoint folder.");
        AtomicFile.Write(path, temporary =>
        {
            using var stream = File.Create(temporary);
            using var writer = new BinaryWriter(stream);
            writer.Write(Magic);
            writer.Write(FormatVersion);
            var hashAt = stream.Position;
            writer.Write(new byte[HashBytes]);
            var payloadAt = stream.Position;
            writer.Write(JsonSerializer.Serialize(info));
            model.save(writer);
            helper.save_state_dict(writer);
            writer.Write(EndMarker);
            writer.Flush();
            stream.Position = payloadAt;
            var hash = SHA256.HashData(stream);
            stream.Position = hashAt;
            stream.Write(hash);
            stream.Flush(flushToDisk: true);
        });
    }

    internal static CheckpointInfo Load(string path, nn.Module model, optim.Optimizer optimizer)
    {
        if (optimizer is not TorchSharp.Modules.OptimizerHelper helper)
            throw new InvalidOperationException($"The optimiser {optimizer.GetType().Name} cannot load a saved state; use one of TorchSharp's torch.optim optimisers.");
        path = Path.GetFullPath(path);
        using var reader = Open(path);
        var info = ReadHeader(reader, path);
        // The weights are read and checked whole before anything is copied, so a checkpoint of another architecture
        // leaves the model as it was (the optimiser is the run's own, fresh one, discarded when the resume fails).
        var weights = ModelWeights.ReadEntries(reader, path);
        try
        {
            ModelWeights.RequireFits(model, weights, path);
        }
        catch (InvalidDataException)
        {
            foreach (var tensor in weights.Values)
                tensor.Dispose();
            throw;
        }
        try
        {
            helper.load_state_dict(reader);
            if (reader.ReadString() != EndMarker)
                throw new InvalidDataException("the end marker is missing");
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or EndOfStreamException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
        {
            foreach (var tensor in weights.Values)
                tensor.Dispose();
            throw new InvalidDataException($"The checkpoint {path} does not fit this optimiser ({e.Message}); the model was not changed.", e);
        }
        ModelWeights.CopyInto(model, weights, path);
        return info;
    }

    private static void CheckConsistent(CheckpointInfo info, string path)
    {
        string? problem = null;
        var epochs = info.History?.Epochs;
        if (info.RunId == Guid.Empty)
            problem = "it records no run id";
        else if (epochs is null || info.ClassNames is null || info.Optimizer is null)
            problem = "its history, classes or optimiser are missing";
        else if (info.CompletedEpochs < 1 || epochs.Count != info.CompletedEpochs)
            problem = string.Create(CultureInfo.InvariantCulture, $"it says {info.CompletedEpochs} completed epochs but its history holds {epochs.Count}");
        else if (epochs.Select((e, i) => e.Epoch == i + 1).Contains(false))
            problem = $"its history's epochs are {string.Join(", ", epochs.Select(e => e.Epoch))}, not 1 to {info.CompletedEpochs} in order";
        else if (info.BestEpoch is { } best && (best < 1 || best > info.CompletedEpochs))
            problem = string.Create(CultureInfo.InvariantCulture, $"its best epoch {best} is not one of its {info.CompletedEpochs} epochs");
        else if (info.EpochsWithoutImprovement < 0 || info.EpochsWithoutImprovement > info.CompletedEpochs)
            problem = string.Create(CultureInfo.InvariantCulture, $"it counts {info.EpochsWithoutImprovement} epochs without improvement after {info.CompletedEpochs} epochs");
        if (problem is not null)
            throw new InvalidDataException($"{path}: {problem} — the file is inconsistent; delete it or resume from another folder.");
    }

    private static BinaryReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No checkpoint at {path}.", path);
        return new BinaryReader(File.OpenRead(path));
    }

    private static CheckpointInfo ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            if (reader.ReadString() != Magic)
                throw new InvalidDataException($"{path} is not a training checkpoint (wrong header).");
            var version = reader.ReadInt32();
            if (version != FormatVersion)
                throw new InvalidDataException($"{path} has checkpoint format {version}; this version reads format {FormatVersion} (with a run id and a checksum): start a fresh run.");
            var stored = reader.ReadBytes(HashBytes);
            var payloadAt = reader.BaseStream.Position;
            if (stored.Length != HashBytes || !SHA256.HashData(reader.BaseStream).AsSpan().SequenceEqual(stored))
                throw new InvalidDataException($"{path}: checksum mismatch — the file is corrupt; delete it or resume from another folder.");
            reader.BaseStream.Position = payloadAt;
            var info = JsonSerializer.Deserialize<CheckpointInfo>(reader.ReadString())
                ?? throw new InvalidDataException($"{path} holds no training state.");
            CheckConsistent(info, path);
            return info;
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException)
        {
            throw new InvalidDataException($"{path} is not a readable training checkpoint: {e.Message}", e);
        }
    }
}
