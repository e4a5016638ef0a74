using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Data;

/// <summary>Bytes to floats, fast: a vectorised widen-convert-scale loop, and per-channel lookup tables.</summary>
internal static class PixelConversion
{
    /// <summary>The per-channel affine map x_byte ↦ x_byte·scale + offset that equals (x/255 − mean)/deviation.</summary>
    public static (float[] Scale, float[] Offset) ChannelAffine(int channels, IReadOnlyList<double>? mean, IReadOnlyList<double>? deviation)
    {
        if ((mean is null) != (deviation is null))
            throw new ArgumentException("Give both the per-channel means and standard deviations, or neither.", nameof(deviation));
        if (mean is not null && (mean.Count != channels || deviation!.Count != channels))
            throw new ArgumentException($"The images have {channels} channel(s) but {mean.Count} mean(s) and {deviation!.Count} deviation(s) were given.", nameof(mean));
        var scale = new float[channels];
        var offset = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            double m = mean?[c] ?? 0, s = deviation?[c] ?? 1;
            if (!double.IsFinite(m) || !(s > 0) || !double.IsFinite(s))
                throw new ArgumentException($"Channel {c}: mean {m} and deviation {s} must be finite and the deviation positive.", nameof(deviation));
            scale[c] = (float)(1.0 / (255.0 * s));
            offset[c] = (float)(-m / s);
        }
        return (scale, offset);
    }

    /// <summary>For each channel, the float value of each of the 256 byte values.</summary>
    public static float[][] LookupTables(float[] scale, float[] offset)
    {
        var tables = new float[scale.Length][];
        for (var c = 0; c < scale.Length; c++)
        {
            tables[c] = new float[256];
            for (var b = 0; b < 256; b++)
                tables[c][b] = b * scale[c] + offset[c];
        }
        return tables;
    }

    /// <summary>
    /// The float32 contents of a contiguous CPU tensor, writable. Only float32 is accepted: reading another element
    /// type's bytes as floats would give garbage, not an error.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor that is not float32, not on the CPU or not contiguous.</exception>
    public static Span<float> FloatSpan(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dtype != ScalarType.Float32)
            throw new ArgumentException($"Pixel conversion writes float32 tensors only; got a {tensor.dtype} tensor [{string.Join(", ", tensor.shape)}].", nameof(tensor));
        if (tensor.device_type != TorchSharp.DeviceType.CPU)
            throw new ArgumentException($"Pixel conversion writes CPU memory; the tensor [{string.Join(", ", tensor.shape)}] is on {tensor.device}. Convert on the CPU, then move it.", nameof(tensor));
        if (!tensor.is_contiguous())
            throw new ArgumentException($"Pixel conversion writes contiguous tensors; the tensor [{string.Join(", ", tensor.shape)}] is a strided view. Use .contiguous().", nameof(tensor));
        return MemoryMarshal.Cast<byte, float>(tensor.bytes);
    }

    /// <summary>Converts whole images (planes of <paramref name="plane"/> bytes, channel after channel) with each channel's affine map.</summary>
    /// <exception cref="ArgumentException">A plane or channel count below 1, too few scales or offsets, a source that is not whole images, or a short destination.</exception>
    public static void Convert(ReadOnlySpan<byte> source, Span<float> destination, int plane, int channels, float[] scale, float[] offset)
    {
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentNullException.ThrowIfNull(offset);
        if (plane < 1 || channels < 1 || scale.Length < channels || offset.Length < channels)
            throw new ArgumentException($"A plane of {plane} pixels and {channels} channel(s) with {scale.Length} scale(s) and {offset.Length} offset(s): planes and channels must be ≥ 1, with one scale and offset per channel.", nameof(channels));
        if (source.Length % ((long)plane * channels) != 0)
            throw new ArgumentException($"{source.Length} bytes are not whole images of {channels} plane(s) of {plane} pixels.", nameof(source));
        if (destination.Length < source.Length)
            throw new ArgumentException($"The destination holds {destination.Length} floats but {source.Length} are needed.", nameof(destination));
        if (channels == 1)
        {
            Convert(source, destination, scale[0], offset[0]);
            return;
        }
        for (int start = 0, c = 0; start < source.Length; start += plane, c = (c + 1) % channels)
            Convert(source.Slice(start, plane), destination.Slice(start, plane), scale[c], offset[c]);
    }

    /// <summary>destination[i] = source[i]·scale + offset, vectorised (byte → ushort → uint → float).</summary>
    public static void Convert(ReadOnlySpan<byte> source, Span<float> destination, float scale, float offset)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<byte>.Count)
        {
            var vScale = new Vector<float>(scale);
            var vOffset = new Vector<float>(offset);
            var n = Vector<float>.Count;
            var bytes = MemoryMarshal.Cast<byte, Vector<byte>>(source);
            for (var v = 0; v < bytes.Length; v++, i += Vector<byte>.Count)
            {
                Vector.Widen(bytes[v], out var low, out var high);
                Vector.Widen(low, out var a, out var b);
                Vector.Widen(high, out var c, out var d);
                var target = destination.Slice(i);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(a)) * vScale + vOffset).CopyTo(target);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(b)) * vScale + vOffset).CopyTo(target.Slice(n));
                (Vector.ConvertToSingle(Vector.AsVectorInt32(c)) * vScale + vOffset).CopyTo(target.Slice(2 * n));
                (Vector.ConvertToSingle(Vector.AsVectorInt32(d)) * vScale + vOffset).CopyTo(target.Slice(3 * n));
            }
        }
        for (; i < source.Length; i++)
            destination[i] = source[i] * scale + offset;
    }
}
