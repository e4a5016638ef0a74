using Studying.DeepLearning.Data;

namespace Studying.DeepLearning.Tests.Data;

/// <summary>CIFAR-10 batches whose promised length (a tar header's, or a caller's) exceeds the bytes that are there.</summary>
[Trait("Tier", "unit")]
public class Cifar10ReaderBoundsTests
{
    /// <summary>A stream that cannot seek, as a tar entry inside a gzip archive.</summary>
    private sealed class ForwardOnly(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }

    private static byte[] Records(int count, byte label = 3)
    {
        var bytes = new byte[count * Cifar10Reader.RecordSize];
        for (var r = 0; r < count; r++)
            bytes[r * Cifar10Reader.RecordSize] = label;
        return bytes;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadBatch_LengthClaimsAMillionRecords_ButTwoArePresent_ThrowsTruncatedWithoutAllocatingThem(bool seekable)
    {
        var claimed = 600_000L * Cifar10Reader.RecordSize; // 1.8 GB, within one array: before, allocated up front
        using Stream stream = seekable ? new MemoryStream(Records(2)) : new ForwardOnly(Records(2));
        var before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<InvalidDataException>(() => Cifar10Reader.ReadBatch(stream, "data_batch_1.bin", claimed));

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4 << 20);
        Assert.Contains("data_batch_1.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains($"truncated at byte 6146 of {claimed} expected", e.Message, StringComparison.Ordinal);
        Assert.Contains("inside record 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBatch_EmptyFile_SaysItIsEmpty()
    {
        using var stream = new MemoryStream();
        var e = Assert.Throws<InvalidDataException>(() => Cifar10Reader.ReadBatch(stream, "test_batch.bin", 0));
        Assert.Contains("test_batch.bin: the file is empty (0 bytes)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBatch_NegativeWholeRecordLength_IsAnArgumentError()
    {
        // −3,073 is a multiple of the record size: it used to pass the whole-records check and reach the allocation.
        using var stream = new MemoryStream(Records(1));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Cifar10Reader.ReadBatch(stream, "b.bin", -Cifar10Reader.RecordSize));
        Assert.Equal("length", e.ParamName);
    }

    [Fact]
    public void ReadBatch_ForwardOnlyStreamLargerThanTheFirstChunk_ReadsEveryRecord()
    {
        var records = Records(400, label: 9); // 1.2 MB: crosses the 1 MiB first chunk
        for (var i = 0; i < records.Length; i++)
            if (i % Cifar10Reader.RecordSize != 0)
                records[i] = (byte)(i * 13);
        using var stream = new ForwardOnly(records);
        var (labels, pixels) = Cifar10Reader.ReadBatch(stream, "b.bin", records.Length);
        Assert.Equal(400, labels.Length);
        Assert.All(labels, l => Assert.Equal(9, l));
        Assert.True(records.AsSpan(1 + 399 * Cifar10Reader.RecordSize, 3072).SequenceEqual(pixels.AsSpan(399 * 3072, 3072)));
        Assert.True(records.AsSpan(1, 3072).SequenceEqual(pixels.AsSpan(0, 3072)));
    }
}
