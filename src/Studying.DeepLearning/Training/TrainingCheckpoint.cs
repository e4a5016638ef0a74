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
public sealed record CheckpointInfo(int CompletedEpochs, long Seed, string Optimizer, IReadOnlyList<string> ClassNames, TrainingHistory History, int? BestEpoch, double? BestValue, int EpochsWithoutImprovement);

/// <summary>
/// The checkpoint files of <see cref="Trainer"/>. <c>last.ckpt</c> holds, in one file, a header, the
/// <see cref="CheckpointInfo"/> as JSON, the module's state (TorchSharp's <c>module.save</c> format) and the
/// optimiser's state (TorchSharp's <c>save_state_dict</c>), so weights, optimiser and history can never disagree;
/// <c>best.pt</c> holds the best weights alone, loadable with <c>module.load(path)</c>. Every file is written to a
/// temporary file in the same folder and renamed over the old one: a crash or a full disk leaves the previous
/// checkpoint whole.
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>The resume checkpoint's file name.</summary>
    public const string LastFileName = "last.ckpt";

    /// <summary>The best weights' file name.</summary>
    public const string BestFileName = "best.pt";

    private const string Magic = "studydl-training-checkpoint";
    private const int FormatVersion = 1;
    private const string EndMarker = "end";

    /// <summary>Reads the JSON part of a resume checkpoint, without touching any model.</summary>
    /// <param name="path">A <c>last.ckpt</c> file.</param>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of this format.</exception>
    public static CheckpointInfo ReadInfo(string path)
    {
        using var reader = Open(path);
        return ReadHeader(reader, path);
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
            writer.Write(JsonSerializer.Serialize(info));
            model.save(writer);
            helper.save_state_dict(writer);
            writer.Write(EndMarker);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        });
    }

    internal static CheckpointInfo Load(string path, nn.Module model, optim.Optimizer optimizer)
    {
        if (optimizer is not TorchSharp.Modules.OptimizerHelper helper)
            throw new InvalidOperationException($"The optimiser {optimizer.GetType().Name} cannot load a saved state; use one of TorchSharp's torch.optim optimisers.");
        using var reader = Open(path);
        var info = ReadHeader(reader, path);
        try
        {
            model.load(reader);
            helper.load_state_dict(reader);
            if (reader.ReadString() != EndMarker)
                throw new InvalidDataException("the end marker is missing");
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or EndOfStreamException or InvalidOperationException)
        {
            throw new InvalidDataException($"The checkpoint {path} does not fit this model and optimiser ({e.Message}); the model may be partly loaded.", e);
        }
        return info;
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
                throw new InvalidDataException($"{path} has checkpoint format {version}; this version reads format {FormatVersion}.");
            return JsonSerializer.Deserialize<CheckpointInfo>(reader.ReadString())
                ?? throw new InvalidDataException($"{path} holds no training state.");
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException)
        {
            throw new InvalidDataException($"{path} is not a readable training checkpoint: {e.Message}", e);
        }
    }
}
