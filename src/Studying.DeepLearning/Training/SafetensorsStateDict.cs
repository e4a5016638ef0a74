using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Training;

/// <summary>
/// Reads and writes safetensors files (see <see cref="WeightsFormat.Safetensors"/>) through TorchSharp.PyBridge's
/// <c>Safetensors</c> reader and writer, after checking the header here: every entry's dtype, shape and data offsets
/// must be consistent and inside the file, so a damaged file gives an <see cref="InvalidDataException"/> naming it
/// rather than a partly read tensor.
/// </summary>
internal static class SafetensorsStateDict
{
    private const long MaximumHeaderBytes = 100_000_000; // the reference implementation's limit

    private static readonly Dictionary<string, int> ElementSizes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>Whether a file starting with <paramref name="header"/> and <paramref name="length"/> bytes long looks like safetensors: a plausible header length, then '{'.</summary>
    public static bool Looks(ReadOnlySpan<byte> header, long length) =>
        header.Length >= 9 && BinaryPrimitives.ReadUInt64LittleEndian(header) is var n && n >= 2 && (long)n <= length - 8 && header[8] == (byte)'{';

    /// <summary>Every tensor in the file by name (the caller disposes them).</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        using var stream = File.OpenRead(path);
        var lengthBytes = new byte[8];
        if (stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8)
            throw new InvalidDataException($"{path} is not a safetensors file: it has {stream.Length} bytes, fewer than the 8-byte header length.");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength < 2 || headerLength > MaximumHeaderBytes || (long)headerLength > stream.Length - 8)
            throw new InvalidDataException($"{path} is not a safetensors file (or is truncated): it announces a {headerLength}-byte header, but has {stream.Length} bytes.");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        var dataLength = stream.Length - 8 - (long)headerLength;
        CheckHeader(path, json, dataLength);
        try
        {
            stream.Position = 0;
            return Safetensors.LoadStateDict(stream, leaveOpen: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path} is not a readable safetensors file ({e.GetType().Name}: {e.Message}).", e);
        }
    }

    /// <summary>Writes the tensors (on any device) to <paramref name="path"/> (not atomically; see <see cref="Plotting.AtomicFile"/>).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> state) =>
        Safetensors.SaveStateDict(path, state.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    private static void CheckHeader(string path, byte[] json, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a safetensors file: its header is not JSON ({e.Message}).", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{path} is not a safetensors file: its header is a JSON {document.RootElement.ValueKind}, not an object.");
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                    continue;
                var problem = EntryProblem(entry.Value, dataLength);
                if (problem is not null)
                    throw new InvalidDataException($"{path} is not a valid safetensors file (or is truncated): the entry '{entry.Name}' {problem}.");
            }
        }
    }

    private static string? EntryProblem(JsonElement entry, long dataLength)
    {
        if (entry.ValueKind != JsonValueKind.Object
            || !entry.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !entry.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !entry.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            return "lacks a string dtype, a shape array or two data_offsets";
        if (!ElementSizes.TryGetValue(dtype.GetString()!, out var size))
            return $"has the unsupported dtype {dtype.GetString()} (supported: {string.Join(", ", ElementSizes.Keys)})";
        long elements = 1;
        foreach (var dimension in shape.EnumerateArray())
        {
            if (!dimension.TryGetInt64(out var d) || d < 0 || (d > 0 && elements > long.MaxValue / d / size))
                return $"has an invalid shape {shape.GetRawText()}";
            elements *= d;
        }
        if (!offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end) || begin < 0 || end < begin)
            return $"has invalid data_offsets {offsets.GetRawText()}";
        if (end > dataLength)
            return string.Create(CultureInfo.InvariantCulture, $"ends at byte {end} of the data, which has only {dataLength} bytes");
        if (end - begin != elements * size)
            return string.Create(CultureInfo.InvariantCulture, $"has {end - begin} bytes for {elements} {dtype.GetString()} elements ({elements * size} bytes)");
        return null;
    }
}
