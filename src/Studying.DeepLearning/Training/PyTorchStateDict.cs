using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Training;

/// <summary>
/// Reads and writes PyTorch's <c>torch.save(model.state_dict())</c> files (see <see cref="WeightsFormat.PyTorch"/>)
/// through TorchSharp.PyBridge's pickle reader and writer, turning whatever they throw for a damaged or foreign file
/// into an <see cref="InvalidDataException"/> that names the file.
/// </summary>
internal static class PyTorchStateDict
{
    /// <summary>Every tensor in the file by name, in name order (the caller disposes them).</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        var header = new byte[4];
        using (var probe = File.OpenRead(path))
            probe.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (header[0] == 0x80)
            throw new InvalidDataException($"{path} is a PyTorch file in the legacy (pre-1.6) pickle format, which is not read; re-save it in Python with torch.save(state_dict, path) from torch ≥ 1.6.");
        if (!IsZip(header))
            throw new InvalidDataException($"{path} is not a PyTorch weights file: torch.save writes a zip archive starting with \"PK\".");
        Hashtable table;
        try
        {
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path} is not a readable PyTorch state dict ({e.GetType().Name}: {e.Message}); it must be written by torch.save(model.state_dict(), path).", e);
        }
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        string? foreign = null;
        // PyBridge returns a Hashtable, which loses the file's order: hand the entries on sorted by name, reproducibly.
        foreach (var entry in table.Cast<DictionaryEntry>().OrderBy(e => e.Key as string, StringComparer.Ordinal))
        {
            if (entry.Key is string name && entry.Value is Tensor tensor)
                tensors.Add(name, tensor);
            else
                foreign ??= $"{entry.Key} ({entry.Value?.GetType().Name ?? "null"})";
        }
        if (foreign is not null)
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
            throw new InvalidDataException($"{path} holds more than a state dict: the entry {foreign} is not a tensor; save model.state_dict() alone.");
        }
        return tensors;
    }

    /// <summary>Writes the tensors (on any device) as <c>torch.save</c> would, to <paramref name="path"/> (not atomically; see <see cref="Plotting.AtomicFile"/>).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> state) =>
        PyTorchPickler.PickleStateDict(path, state.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    /// <summary>Whether the first bytes are a zip archive's local-file signature "PK\x03\x04".</summary>
    public static bool IsZip(ReadOnlySpan<byte> header) =>
        header.Length >= 4 && header[0] == (byte)'P' && header[1] == (byte)'K' && header[2] == 3 && header[3] == 4;
}
