using System.Buffers.Binary;
using System.IO.Compression;

namespace Studying.DeepLearning.Data;

/// <summary>
/// Reads IDX files (MNIST, Fashion-MNIST), gzip-compressed or not: a big-endian header (magic 0x00000803 and
/// count, rows, columns for images; 0x00000801 and count for labels), then unsigned bytes. The whole payload is
/// read into one buffer with large reads, but the header's counts are never trusted for an allocation: an uncompressed
/// file's length is checked first, and a gzip stream is read into a buffer that grows only as data arrives
/// (doubling from 1 MiB). Errors name the file and the offset in its (decompressed) content.
/// </summary>
public static class IdxReader
{
    /// <summary>The magic number of an IDX file of unsigned-byte images (3 dimensions).</summary>
    public const int ImageMagic = 0x00000803;

    /// <summary>The magic number of an IDX file of unsigned-byte labels (1 dimension).</summary>
    public const int LabelMagic = 0x00000801;

    /// <summary>Reads an images file: the pixels [count, rows, columns] and the shape.</summary>
    /// <param name="path">A .gz or uncompressed IDX images file.</param>
    /// <exception cref="InvalidDataException">
    /// An empty file, bad magic, a count or size ≤ 0, a header whose sizes multiply past one array, a truncated file
    /// ("truncated at byte N of M expected"), or bytes after the last image.
    /// </exception>
    public static (byte[] Pixels, int Count, int Rows, int Columns) ReadImages(string path)
    {
        using var stream = OpenContent(path);
        return ReadImages(stream, path);
    }

    /// <summary>Reads an images file from an (already decompressed) stream; <paramref name="name"/> is used in errors.</summary>
    public static (byte[] Pixels, int Count, int Rows, int Columns) ReadImages(Stream content, string name)
    {
        ArgumentNullException.ThrowIfNull(content);
        Span<byte> header = stackalloc byte[16];
        ReadHeader(content, header, name, "images");
        CheckMagic(header, ImageMagic, name, "images");
        var count = Dimension(header, 4, name, "image count");
        var rows = Dimension(header, 8, name, "row count");
        var columns = Dimension(header, 12, name, "column count");
        // Each factor is below 2³¹, so each product of two is exact in 64 bits once the first is known to be small.
        var imageSize = (long)rows * columns;
        if (imageSize > Array.MaxLength || count > Array.MaxLength / imageSize)
            throw new InvalidDataException($"{name}: the header at offset 4 promises {count} images of {rows}×{columns} ({(System.Numerics.BigInteger)count * imageSize} bytes), too many to hold in one array (at most {Array.MaxLength} bytes); the header is corrupt or the file is not an IDX images file.");
        var size = count * imageSize;
        var pixels = ReadPayload(content, (int)size, 16, name, $"{count} images of {rows}×{columns}");
        return (pixels, count, rows, columns);
    }

    /// <summary>Reads a labels file.</summary>
    /// <param name="path">A .gz or uncompressed IDX labels file.</param>
    /// <exception cref="InvalidDataException">Bad magic, a truncated file, or bytes after the last label.</exception>
    public static byte[] ReadLabels(string path)
    {
        using var stream = OpenContent(path);
        return ReadLabels(stream, path);
    }

    /// <summary>Reads a labels file from an (already decompressed) stream; <paramref name="name"/> is used in errors.</summary>
    public static byte[] ReadLabels(Stream content, string name)
    {
        ArgumentNullException.ThrowIfNull(content);
        Span<byte> header = stackalloc byte[8];
        ReadHeader(content, header, name, "labels");
        CheckMagic(header, LabelMagic, name, "labels");
        var count = Dimension(header, 4, name, "label count");
        return ReadPayload(content, count, 8, name, $"{count} labels");
    }

    /// <summary>
    /// Reads an images file and its labels file into an <see cref="ImageDataSet"/> (one channel), checking that the
    /// counts agree and every label is a class index.
    /// </summary>
    /// <param name="imagesPath">The images file.</param>
    /// <param name="labelsPath">The labels file.</param>
    /// <param name="classNames">The class names; labels must be below their count.</param>
    /// <param name="name">The data set's name for messages.</param>
    public static ImageDataSet Read(string imagesPath, string labelsPath, IReadOnlyList<string> classNames, string name)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        var (pixels, count, rows, columns) = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (labels.Length != count)
            throw new InvalidDataException($"{labelsPath} holds {labels.Length} labels but {imagesPath} holds {count} images; they must pair up one to one.");
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classNames.Count)
                throw new InvalidDataException($"{labelsPath}: label {labels[i]} at offset {8 + i} (label {i}) is not a class index; there are {classNames.Count} classes (0–{classNames.Count - 1}).");
        }
        return new ImageDataSet(name, pixels, labels, 1, rows, columns, classNames);
    }

    /// <summary>Opens a file's content, decompressing it if it starts with the gzip signature.</summary>
    internal static Stream OpenContent(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Span<byte> signature = stackalloc byte[2];
        var read = file.ReadAtLeast(signature, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && signature[0] == 0x1f && signature[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static void ReadHeader(Stream content, Span<byte> header, string name, string kind)
    {
        int read;
        try
        {
            read = content.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{name}: the gzip stream is corrupt ({e.Message}).", e);
        }
        if (read == 0)
            throw new InvalidDataException($"{name}: the file is empty (its content ends at offset 0); an IDX {kind} file starts with a {header.Length}-byte header.");
        if (read < header.Length)
            throw new InvalidDataException($"{name}: the file ends at offset {read}, inside the {header.Length}-byte IDX {kind} header.");
    }

    private static void CheckMagic(ReadOnlySpan<byte> header, int expected, string name, string kind)
    {
        var magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expected)
            throw new InvalidDataException($"{name}: bad magic number 0x{magic:X8} at offset 0; an IDX {kind} file starts with 0x{expected:X8}."
                + (magic == (expected == ImageMagic ? LabelMagic : ImageMagic) ? $" (This looks like a {(kind == "images" ? "labels" : "images")} file.)" : ""));
    }

    private static int Dimension(ReadOnlySpan<byte> header, int offset, string name, string what)
    {
        var value = BinaryPrimitives.ReadInt32BigEndian(header[offset..]);
        if (value <= 0)
            throw new InvalidDataException($"{name}: the {what} at offset {offset} is {value}; it must be positive.");
        return value;
    }

    private static byte[] ReadPayload(Stream content, int size, int headerSize, string name, string what)
    {
        byte[] payload;
        int read;
        try
        {
            // Never allocates for the header's promise before the data is there: a corrupt count of 2³⁰ costs 1 MiB, not 1 GiB.
            (payload, read) = BoundedRead.UpTo(content, size);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{name}: the gzip stream is corrupt ({e.Message}).", e);
        }
        if (read < size)
            throw new InvalidDataException($"{name}: truncated at byte {(long)headerSize + read} of {(long)headerSize + size} expected — the header promises {what} ({size} bytes after the {headerSize}-byte header) but the content ends at offset {headerSize + read}.");
        Span<byte> extra = stackalloc byte[1];
        if (content.Read(extra) != 0)
            throw new InvalidDataException($"{name}: there are bytes after offset {headerSize + size}, where {what} end; the header's count is wrong or the file is not one IDX file.");
        return payload;
    }
}
