using System.Buffers.Binary;
using System.IO.Compression;

namespace Studying.DeepLearning.Tests.Data;

/// <summary>Writes IDX files in the exact format, optionally gzip-compressed.</summary>
internal static class IdxFiles
{
    public static byte[] Images(int count, int rows, int columns, Func<int, int, int, byte> pixel, int magic = 0x803, int? headerCount = null)
    {
        var bytes = new byte[16 + count * rows * columns];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), headerCount ?? count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        for (var i = 0; i < count; i++)
            for (var y = 0; y < rows; y++)
                for (var x = 0; x < columns; x++)
                    bytes[16 + (i * rows + y) * columns + x] = pixel(i, y, x);
        return bytes;
    }

    public static byte[] Labels(byte[] labels, int magic = 0x801, int? headerCount = null)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), headerCount ?? labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    public static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(content);
        return output.ToArray();
    }

    public static byte Pixel(int i, int y, int x) => (byte)(i * 31 + y * 7 + x * 3);

    /// <summary>Writes the four Fashion-MNIST-named files (gzip) of a small data set into a folder.</summary>
    public static void WriteDataSet(string folder, int train = 5, int test = 3)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "train-images-idx3-ubyte.gz"), Gzip(Images(train, 28, 28, Pixel)));
        File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte.gz"), Gzip(Labels(Enumerable.Range(0, train).Select(i => (byte)(i % 10)).ToArray())));
        File.WriteAllBytes(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), Gzip(Images(test, 28, 28, Pixel)));
        File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), Gzip(Labels(Enumerable.Range(0, test).Select(i => (byte)(9 - i)).ToArray())));
    }
}
