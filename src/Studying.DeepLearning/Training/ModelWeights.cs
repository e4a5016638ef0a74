using System.Globalization;
using Studying.DeepLearning.Plotting;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Training;

/// <summary>One entry of a weights file: a parameter or buffer name, its element type and shape.</summary>
/// <param name="Name">The state-dict key, such as <c>layer1.0.conv1.weight</c>.</param>
/// <param name="Type">The element type.</param>
/// <param name="Shape">The shape.</param>
public sealed record WeightEntry(string Name, ScalarType Type, IReadOnlyList<long> Shape)
{
    /// <summary>"name float32 [16, 3, 3, 3]".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} {Type} [{string.Join(", ", Shape)}]");
}

/// <summary>
/// Saves and loads a model's weights (every parameter and buffer, e.g. batch-norm running statistics) in three
/// formats (<see cref="WeightsFormat"/>): TorchSharp's own (<see cref="Save"/>; <c>*.dat</c>), PyTorch's
/// <c>torch.save(model.state_dict())</c> pickles (<see cref="SavePyTorch"/>; <c>*.pt</c>, <c>*.pth</c>) and
/// safetensors (<see cref="SaveSafetensors"/>). Every round trip is bit-exact.
/// </summary>
/// <remarks>
/// The chapter-4 networks use the reference implementations' state-dict keys (torchvision's for the ImageNet ResNets,
/// kuangliu/pytorch-cifar's and akamaster/pytorch_resnet_cifar10's for the CIFAR ones), so files written by PyTorch
/// for those models load without renaming, and ours load into them. Unlike <c>module.load</c> and PyBridge's
/// <c>load_py</c>, which copy entry by entry and can leave a model half-overwritten when the file does not fit,
/// every <c>Load</c> here reads the whole file into memory and checks it first (names, element types, shapes) and
/// changes nothing unless everything fits. Saving is atomic: the file is written beside the target and renamed over
/// it, so an interrupted save never leaves a truncated file behind. PyTorch and safetensors files are read and
/// written through the TorchSharp.PyBridge package.
/// </remarks>
public static class ModelWeights
{
    /// <summary>Writes the model's parameters and buffers in TorchSharp's format (<see cref="WeightsFormat.TorchSharp"/>), atomically (its folder is created).</summary>
    /// <param name="model">The model (on any device; the file holds CPU copies).</param>
    /// <param name="path">The target file, conventionally <c>*.dat</c>.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, temporary => model.save(temporary));
    }

    /// <summary>
    /// Writes the model's parameters and buffers as PyTorch's <c>torch.save(model.state_dict(), path)</c> would
    /// (<see cref="WeightsFormat.PyTorch"/>), atomically; PyTorch reads it with <c>model.load_state_dict(torch.load(path))</c>.
    /// </summary>
    /// <param name="model">The model (on any device; the file holds CPU copies).</param>
    /// <param name="path">The target file, conventionally <c>*.pt</c> or <c>*.pth</c>.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void SavePyTorch(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, temporary => PyTorchStateDict.Write(temporary, model.state_dict()));
    }

    /// <summary>Writes the model's parameters and buffers as a safetensors file (<see cref="WeightsFormat.Safetensors"/>), atomically.</summary>
    /// <param name="model">The model (on any device; the file holds CPU copies).</param>
    /// <param name="path">The target file, conventionally <c>*.safetensors</c>.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void SaveSafetensors(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, temporary => SafetensorsStateDict.Write(temporary, model.state_dict()));
    }

    /// <summary>
    /// The format of a weights file, from its content (not its name): a zip archive ("PK") is
    /// <see cref="WeightsFormat.PyTorch"/>, an 8-byte header length followed by a JSON object is
    /// <see cref="WeightsFormat.Safetensors"/>, anything else is taken for <see cref="WeightsFormat.TorchSharp"/>.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static WeightsFormat FormatOf(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No weights file at {Path.GetFullPath(path)}.", path);
        using var stream = File.OpenRead(path);
        var header = new byte[9];
        var read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (PyTorchStateDict.IsZip(header.AsSpan(0, read)))
            return WeightsFormat.PyTorch;
        return SafetensorsStateDict.Looks(header.AsSpan(0, read), stream.Length) ? WeightsFormat.Safetensors : WeightsFormat.TorchSharp;
    }

    /// <summary>The entries a weights file of any <see cref="WeightsFormat"/> holds (told apart by <see cref="FormatOf"/>), without loading it into a model.</summary>
    /// <param name="path">A file written by one of the <c>Save</c> methods, TorchSharp's <c>module.save</c>, PyTorch's <c>torch.save(model.state_dict())</c> or a safetensors writer.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is in none of the formats, or is truncated.</exception>
    public static IReadOnlyList<WeightEntry> Describe(string path)
    {
        var tensors = Read(path, null);
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
    /// Copies the weights in a file of any <see cref="WeightsFormat"/> (told apart by content, see <see cref="FormatOf"/>)
    /// into the model, after checking that the file holds exactly the model's entries with the same element types and
    /// shapes; on any mismatch the model is left unchanged.
    /// </summary>
    /// <param name="model">A model of the architecture that was saved (on any device).</param>
    /// <param name="path">A file written by one of the <c>Save</c> methods, TorchSharp's <c>module.save</c>, PyTorch's <c>torch.save(model.state_dict())</c> or a safetensors writer.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not a weights file, is truncated, or does not fit the model (the message names the file and lists
    /// the first missing, unexpected and mismatched entries).
    /// </exception>
    public static void Load(nn.Module model, string path) => Load(model, path, null);

    /// <summary>
    /// Copies the weights in a PyTorch <c>torch.save(model.state_dict(), path)</c> file (<see cref="WeightsFormat.PyTorch"/>)
    /// into the model, all or nothing as <see cref="Load(nn.Module, string)"/>.
    /// </summary>
    /// <param name="model">A model whose state-dict keys, element types and shapes are the file's (on any device).</param>
    /// <param name="path">The <c>*.pt</c> or <c>*.pth</c> file.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a (zip-format) PyTorch state dict, is damaged, or does not fit the model.</exception>
    public static void LoadPyTorch(nn.Module model, string path) => Load(model, path, WeightsFormat.PyTorch);

    /// <summary>Copies the weights in a safetensors file (<see cref="WeightsFormat.Safetensors"/>) into the model, all or nothing as <see cref="Load(nn.Module, string)"/>.</summary>
    /// <param name="model">A model whose state-dict keys, element types and shapes are the file's (on any device).</param>
    /// <param name="path">The <c>*.safetensors</c> file.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a safetensors file, is damaged, or does not fit the model.</exception>
    public static void LoadSafetensors(nn.Module model, string path) => Load(model, path, WeightsFormat.Safetensors);

    private static void Load(nn.Module model, string path, WeightsFormat? format)
    {
        ArgumentNullException.ThrowIfNull(model);
        CopyInto(model, Read(path, format), path);
    }

    /// <summary>
    /// Checks every name, type and shape of <paramref name="loaded"/> against the model's state, then copies them in —
    /// or changes nothing and throws naming the problems. Disposes <paramref name="loaded"/> either way.
    /// </summary>
    internal static void CopyInto(nn.Module model, Dictionary<string, Tensor> loaded, string path)
    {
        try
        {
            RequireFits(model, loaded, path);
            var state = model.state_dict();
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

    /// <summary>Throws, naming the file and the first problems, unless the entries match the model's state exactly (names, types, shapes).</summary>
    internal static void RequireFits(nn.Module model, IReadOnlyDictionary<string, Tensor> loaded, string path)
    {
        var state = model.state_dict();
        var problems = new List<string>();
        problems.AddRange(state.Keys.Where(k => !loaded.ContainsKey(k)).Select(k => $"missing {k}"));
        // In a stable order (the model's, then the file's extras sorted): PyTorch's pickle comes back unordered.
        problems.AddRange(loaded.Keys.Where(k => !state.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => $"unexpected {k}"));
        foreach (var (name, target) in state)
        {
            if (loaded.TryGetValue(name, out var tensor) && (target.dtype != tensor.dtype || !target.shape.SequenceEqual(tensor.shape)))
                problems.Add($"{name}: the file has {tensor.dtype} [{string.Join(", ", tensor.shape)}], the model {target.dtype} [{string.Join(", ", target.shape)}]");
        }
        if (problems.Count > 0)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The weights in {path} do not fit this {model.GetType().Name} ({state.Count} entries; the file has {loaded.Count}); nothing was loaded. " +
                $"{problems.Count} problem(s): {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? "; …" : "")}. " +
                $"Load it into the architecture (channels, classes) it was saved from."));
        }
    }

    private static Dictionary<string, Tensor> Read(string path, WeightsFormat? expected)
    {
        var format = FormatOf(path);
        if (expected is { } wanted && wanted != format)
            throw new InvalidDataException($"{path} is not a {wanted} weights file (its content looks like {format}); use ModelWeights.Load, which reads every format.");
        TorchRuntime.EnsureLoaded();
        return format switch
        {
            WeightsFormat.PyTorch => PyTorchStateDict.Read(path),
            WeightsFormat.Safetensors => SafetensorsStateDict.Read(path),
            _ => ReadAll(path),
        };
    }

    private static Dictionary<string, Tensor> ReadAll(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No weights file at {Path.GetFullPath(path)}.", path);
        TorchRuntime.EnsureLoaded();
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var tensors = ReadEntries(reader, path);
        if (stream.Position != stream.Length)
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
            throw new InvalidDataException($"{path} has {stream.Length - stream.Position} bytes after its {tensors.Count} entries: not a single TorchSharp weights file.");
        }
        return tensors;
    }

    /// <summary>
    /// Reads one block in TorchSharp's <c>module.save</c> format from the reader's position (a weights file, or the
    /// weights section of a checkpoint), checking every count and size against the bytes left before reading it.
    /// </summary>
    internal static Dictionary<string, Tensor> ReadEntries(BinaryReader reader, string path)
    {
        var stream = reader.BaseStream;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            var count = ReadLeb128(reader);
            if (count < 0 || count > 1_000_000)
                throw new InvalidDataException($"{path} is not a TorchSharp weights file: it announces {count} entries.");
            for (var i = 0; i < count; i++)
            {
                // BinaryReader's string: a 7-bit-encoded byte length, then UTF-8; check the length against the file first.
                var nameAt = stream.Position;
                var nameBytes = ReadLeb128(reader);
                if (nameBytes < 0 || nameBytes > stream.Length - stream.Position)
                    throw new InvalidDataException($"{path} is not a TorchSharp weights file: entry {i}'s name at byte {nameAt} announces {nameBytes} bytes, {stream.Length - stream.Position} remain.");
                stream.Position = nameAt;
                var name = reader.ReadString();
                var start = stream.Position;
                var type = (ScalarType)ReadLeb128(reader);
                var rank = ReadLeb128(reader);
                if (!Enum.IsDefined(type) || rank is < 0 or > 16)
                    throw new InvalidDataException($"{path} is not a TorchSharp weights file: entry {i} ('{name}') has element type {(int)type} and rank {rank}.");
                var shape = new long[rank];
                var bytes = (long)ElementSize(type);
                for (var d = 0; d < rank; d++)
                {
                    shape[d] = ReadLeb128(reader);
                    if (shape[d] < 0)
                        throw new InvalidDataException($"{path} is not a TorchSharp weights file: entry {i} ('{name}') has a negative dimension {shape[d]}.");
                    bytes = checked(bytes * shape[d]);
                }
                if (stream.Length - stream.Position < bytes)
                    throw new InvalidDataException($"{path} is truncated: entry {i} ('{name}') needs {bytes} bytes, {stream.Length - stream.Position} remain.");
                stream.Position = start;
                if (!tensors.TryAdd(name, TensorExtensionMethods.Load(reader)))
                    throw new InvalidDataException($"{path} holds the entry '{name}' twice.");
            }
            return tensors;
        }
        // ExternalException: a native error from TorchSharp's tensor reader, which must still name the file.
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or ArgumentException or OverflowException or System.Runtime.InteropServices.ExternalException)
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
