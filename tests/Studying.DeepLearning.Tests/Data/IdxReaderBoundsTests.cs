using System.Buffers.Binary;
using Studying.DeepLearning.Data;

namespace Studying.DeepLearning.Tests.Data;

/// <summary>Headers that lie: the reader must not allocate what they promise before the bytes are there.</summary>
[Trait("Tier", "unit")]
public class IdxReaderBoundsTests
{
    private const long Sane = 4 << 20; // bytes a failing read may allocate: a few 1 MiB chunks and buffers

    private static byte[] ImagesHeader(int count, int rows, int columns, int payload)
    {
        var bytes = new byte[16 + payload];
        BinaryPrimitives.WriteInt32BigEndian(bytes, IdxReader.ImageMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        return bytes;
    }

    private static (InvalidDataException Error, long Allocated) Measure(Func<object> read)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(read);
        return (e, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_HeaderClaims2Pow30Images_In100ByteFile_ThrowsTruncatedWithoutAllocatingThem(bool gzip)
    {
        using var dir = new TempFolder();
        var content = ImagesHeader(1 << 30, 1, 1, 84); // 100 bytes of content
        File.WriteAllBytes(dir.File("i"), gzip ? IdxFiles.Gzip(content) : content);

        var (e, allocated) = Measure(() => IdxReader.ReadImages(dir.File("i")));

        Assert.Contains(dir.File("i"), e.Message, StringComparison.Ordinal);
        Assert.Contains($"truncated at byte 100 of {16L + (1 << 30)} expected", e.Message, StringComparison.Ordinal);
        Assert.Contains("offset 100", e.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, Sane);
    }

    [Fact]
    public void ReadLabels_HeaderClaimsMaxIntLabels_InGzip_ThrowsTruncatedWithoutAllocatingThem()
    {
        using var dir = new TempFolder();
        var labels = IdxFiles.Labels([1, 2, 3], headerCount: int.MaxValue);
        File.WriteAllBytes(dir.File("l.gz"), IdxFiles.Gzip(labels));

        var (e, allocated) = Measure(() => IdxReader.ReadLabels(dir.File("l.gz")));

        Assert.Contains(dir.File("l.gz"), e.Message, StringComparison.Ordinal);
        Assert.Contains($"truncated at byte 11 of {8L + int.MaxValue} expected", e.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, Sane);
    }

    [Theory]
    [InlineData(1 << 22, 1 << 21, 1 << 21)] // 2⁶⁴ bytes: wrapped to 0 in 64-bit arithmetic, so the file "held" 4 M empty images
    [InlineData(int.MaxValue, int.MaxValue, int.MaxValue)]
    [InlineData(2, 1 << 16, 1 << 15)] // 2³² bytes: past one array
    public void ReadImages_HeaderSizesMultiplyPastAnArray_ThrowsNamingTheHeaderOffset(int count, int rows, int columns)
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("i"), ImagesHeader(count, rows, columns, 0));

        var (e, allocated) = Measure(() => IdxReader.ReadImages(dir.File("i")));

        Assert.Contains(dir.File("i"), e.Message, StringComparison.Ordinal);
        Assert.Contains("header at offset 4 promises", e.Message, StringComparison.Ordinal);
        Assert.Contains("too many to hold in one array", e.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, Sane);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_EmptyFile_SaysItIsEmpty(bool gzip)
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("i"), gzip ? IdxFiles.Gzip([]) : []);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(dir.File("i")));
        Assert.Contains(dir.File("i"), e.Message, StringComparison.Ordinal);
        Assert.Contains("the file is empty (its content ends at offset 0)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadImages_HonestFileLargerThanTheFirstChunk_StillReadsEveryByte()
    {
        // 3 MiB of gzip content crosses the 1 MiB first chunk twice: the growing buffer must keep every byte in place.
        using var dir = new TempFolder();
        var images = IdxFiles.Images(3, 1024, 1024, (i, y, x) => (byte)(i * 7 + y * 3 + x));
        File.WriteAllBytes(dir.File("i.gz"), IdxFiles.Gzip(images));
        var (pixels, count, rows, columns) = IdxReader.ReadImages(dir.File("i.gz"));
        Assert.Equal((3, 1024, 1024), (count, rows, columns));
        Assert.True(images.AsSpan(16).SequenceEqual(pixels));
    }
}
