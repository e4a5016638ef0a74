using System.Globalization;
using Studying.DeepLearning.Plotting;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Training;

/// <summary>One entry of a weights file: a parameter or buffer name, its element type and shape.</summary>
/// <param name="Name">The state-dict key, such as <c>stage1.block1.conv1.weight</c>.</param>
/// <param name="Type">The element type.</param>
/// <param name="Shape">The shape.</param>
public sealed record WeightEntry(string Name, ScalarType Type, IReadOnlyList<long> Shape)
{
    /// <summary>"name float32 [16, 3, 3, 3]".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} {Type} [{string.Join(", ", Shape)}]");
}

/// <summary>
/// Saves and loads a model's weights (every parameter and buffer, e.g. batch-norm running statistics) in TorchSharp's
/// own format, the one <c>module.save</c> writes and <c>module.load</c> reads: a LEB128 entry count, then per entry
/// the name and the tensor (type, shape, raw little-endian bytes). A round trip is bit-exact.
/// </summary>
/// <remarks>
/// Unlike <c>module.load</c>, which copies entry by entry and can leave a model half-overwritten when the file does
/// not fit, <see cref="Load"/> reads and checks the whole file first (names, types, shapes) and changes nothing
/// unless everything fits. Saving is atomic: the file is written beside the target and renamed over it, so an
/// interrupted save never leaves a truncated file behind. PyTorch's <c>state_dict</c> (.pt, pickle) files are not read
/// or written: no package served to this project (such as TorchSharp.PyBridge) provides that.
/// </remarks>
public static class ModelWeights
{
    /// <summary>Writes the model's parameters and buffers to a file, atomically (its folder is created).</summary>
    /// <param name="model">The model (on any device; the file holds CPU copies).</param>
    /// <param name="path">The target file, conventionally <c>*.pt</c> or <c>*.dat</c>.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, temporary => model.save(temporary));
    }

    /// <summary>The entries a weights file holds, without loading it into a model.</summary>
    /// <param name="path">A file written by <see cref="Save"/> or by TorchSharp's <c>module.save</c>.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not in TorchSharp's weights format, or is truncated.</exception>
    public static IReadOnlyList<WeightEntry> Describe(string path)
    {
        var tensors = ReadAll(path);
        try
        {
            return [.. tensors.Select(t => new WeightEntry(t.Key, t.Value.dtype, t.Value.shape))];
        }
        finally
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
        }
    }

    /// <summary>
    /// Copies the weights in a file into the model, after checking that the file holds exactly the model's entries with
    /// the same element types and shapes; on any mismatch the model is left unchanged.
    /// </summary>
    /// <param name="model">A model of the architecture that was saved (on any device).</param>
    /// <param name="path">A file written by <see cref="Save"/> or by TorchSharp's <c>module.save</c>.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not a weights file, is truncated, or does not fit the model (the message lists the missing,
    /// unexpected and mismatched entries).
    /// </exception>
    public static void Load(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        var loaded = ReadAll(path);
        try
        {
            var state = model.state_dict();
            var problems = new List<string>();
            problems.AddRange(state.Keys.Where(k => !loaded.ContainsKey(k)).Select(k => $"missing {k}"));
            problems.AddRange(loaded.Keys.Where(k => !state.ContainsKey(k)).Select(k => $"unexpected {k}"));
            foreach (var (name, tensor) in loaded)
            {
                if (state.TryGetValue(name, out var target) && (target.dtype != tensor.dtype || !target.shape.SequenceEqual(tensor.shape)))
                    problems.Add($"{name}: the file has {tensor.dtype} [{string.Join(", ", tensor.shape)}], the model {target.dtype} [{string.Join(", ", target.shape)}]");
            }
            if (problems.Count > 0)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"The weights in {path} do not fit this {model.GetType().Name} ({state.Count} entries; the file has {loaded.Count}); nothing was loaded. " +
                    $"{problems.Count} problem(s): {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? "; …" : "")}."));
            }
            using var noGrad = no_grad();
            foreach (var (name, tensor) in loaded)
                state[name].copy_(tensor);
        }
        finally
        {
            foreach (var tensor in loaded.Values)
                tensor.Dispose();
        }
    }

    private static Dictionary<string, Tensor> ReadAll(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No weights file at {Path.GetFullPath(path)}.", path);
        TorchRuntime.EnsureLoaded();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            var count = ReadLeb128(reader);
            if (count < 0 || count > 1_000_000)
                throw new InvalidDataException($"{path} is not a TorchSharp weights file: it announces {count} entries.");
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var start = stream.Position;
                var type = (ScalarType)ReadLeb128(reader);
                var rank = ReadLeb128(reader);
                if (!Enum.IsDefined(type) || rank is < 0 or > 16)
                    throw new InvalidDataException($"{path} is not a TorchSharp weights file: entry {i} ('{name}') has element type {(int)type} and rank {rank}.");
                var shape = new long[rank];
                for (var d = 0; d < rank; d++)
                    shape[d] = ReadLeb128(reader);
                var bytes = shape.Aggregate(1L, (a, b) => a * b) * ElementSize(type);
                if (stream.Length - stream.Position < bytes)
                    throw new InvalidDataException($"{path} is truncated: entry {i} ('{name}') needs {bytes} bytes, {stream.Length - stream.Position} remain.");
                stream.Position = start;
                if (!tensors.TryAdd(name, TensorExtensionMethods.Load(reader)))
                    throw new InvalidDataException($"{path} holds the entry '{name}' twice.");
            }
            if (stream.Position != stream.Length)
                throw new InvalidDataException($"{path} has {stream.Length - stream.Position} bytes after its {count} entries: not a single TorchSharp weights file.");
            return tensors;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or ArgumentException or OverflowException)
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
            throw e as InvalidDataException ?? new InvalidDataException($"{path} is not a readable TorchSharp weights file ({e.Message}).", e);
        }
    }

    // TorchSharp writes counts, types and sizes as unsigned LEB128 (7 bits per byte, high bit = more follows).
    private static long ReadLeb128(BinaryReader reader)
    {
        long value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = reader.ReadByte();
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return value;
        }
        throw new InvalidDataException("A LEB128 number runs over 64 bits.");
    }

    private static long ElementSize(ScalarType type) => type switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        _ => throw new InvalidDataException($"Element type {type} is not stored in weights files."),
    };
}
