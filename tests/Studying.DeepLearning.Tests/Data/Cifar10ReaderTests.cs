using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Tests.Infrastructure;

namespace Studying.DeepLearning.Tests.Data;

[Trait("Tier", "unit")]
public class Cifar10ReaderTests
{
    private const string Meta = "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n";

    // Batch b, record r: label (b + r) % 10; red = 10·b + r + (y·32 + x) % 7, green = 100 + y, blue = 200 + x % 50.
    private static byte Label(int b, int r) => (byte)((b + r) % 10);

    private static byte Channel(int b, int r, int c, int y, int x) => c switch
    {
        0 => (byte)(10 * b + r + (y * 32 + x) % 7),
        1 => (byte)(100 + y),
        _ => (byte)(200 + x % 50),
    };

    private static byte[] Batch(int b, int records = 3)
    {
        var bytes = new byte[records * Cifar10Reader.RecordSize];
        for (var r = 0; r < records; r++)
        {
            var o = r * Cifar10Reader.RecordSize;
            bytes[o] = Label(b, r);
            for (var c = 0; c < 3; c++)
                for (var y = 0; y < 32; y++)
                    for (var x = 0; x < 32; x++)
                        bytes[o + 1 + c * 1024 + y * 32 + x] = Channel(b, r, c, y, x);
        }
        return bytes;
    }

    private static void WriteFolder(string folder)
    {
        Directory.CreateDirectory(folder);
        for (var b = 0; b < 6; b++)
            File.WriteAllBytes(Path.Combine(folder, Cifar10Reader.BatchFiles[b]), Batch(b));
        File.WriteAllText(Path.Combine(folder, "batches.meta.txt"), Meta);
    }

    private static void WriteArchive(string path, Func<int, byte[]>? batch = null, bool skipTest = false)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip);
        void Add(string name, byte[] data)
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "cifar-10-batches-bin/" + name) { DataStream = new MemoryStream(data) };
            tar.WriteEntry(entry);
        }
        tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "cifar-10-batches-bin/"));
        Add("batches.meta.txt", Encoding.ASCII.GetBytes(Meta));
        for (var b = 0; b < (skipTest ? 5 : 6); b++)
            Add(Cifar10Reader.BatchFiles[b], (batch ?? (i => Batch(i)))(b));
    }

    private static void AssertContent(ImageSplits splits)
    {
        Assert.Equal(15, splits.Train.Count);
        Assert.Equal(3, splits.Test.Count);
        Assert.Equal((3, 32, 32), (splits.Train.Channels, splits.Train.Height, splits.Train.Width));
        Assert.Equal("truck", splits.Train.ClassNames[9]);
        for (var i = 0; i < 18; i++)
        {
            var (b, r) = (i / 3, i % 3);
            var set = b < 5 ? splits.Train : splits.Test;
            var n = b < 5 ? i : r;
            Assert.Equal(Label(b, r), set.Labels[n]);
            foreach (var (c, y, x) in new[] { (0, 0, 0), (0, 5, 9), (1, 31, 2), (2, 7, 31), (2, 0, 17) })
                Assert.Equal(Channel(b, r, c, y, x), set.Pixels[n * 3072 + c * 1024 + y * 32 + x]);
        }
    }

    [Fact]
    public void ReadFolder_GivesPixelsLabelsAndClassNames()
    {
        using var dir = new TempFolder();
        WriteFolder(dir.File("cifar-10-batches-bin"));
        AssertContent(Cifar10Reader.ReadFolder(dir.File("cifar-10-batches-bin")));
    }

    [Fact]
    public void ReadArchive_GivesTheSameAsTheFolder()
    {
        using var dir = new TempFolder();
        WriteArchive(dir.File(Cifar10Reader.ArchiveName));
        AssertContent(Cifar10Reader.ReadArchive(dir.File(Cifar10Reader.ArchiveName)));
    }

    [Fact]
    public void Load_FindsTheArchiveUnderTheDataRoot()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.File("cifar-10"));
        WriteArchive(Path.Combine(dir.File("cifar-10"), Cifar10Reader.ArchiveName));
        var splits = Cifar10Reader.Load(new DataSetSources(null, dir.Path, null, null, AllowDownload: false));
        AssertContent(splits);
    }

    [Fact]
    public void ReadFolder_CutOffRecord_NamesFileRecordAndOffset()
    {
        using var dir = new TempFolder();
        var folder = dir.File("bin");
        WriteFolder(folder);
        File.WriteAllBytes(Path.Combine(folder, "data_batch_3.bin"), Batch(2)[..(2 * 3073 + 100)]);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10Reader.ReadFolder(folder));
        Assert.Contains("data_batch_3.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains("record 2 (from offset 6146) is cut off after 100 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFolder_ShorterThanOneRecord_SaysSo()
    {
        using var dir = new TempFolder();
        var folder = dir.File("bin");
        WriteFolder(folder);
        File.WriteAllBytes(Path.Combine(folder, "test_batch.bin"), new byte[10]);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10Reader.ReadFolder(folder));
        Assert.Contains("test_batch.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains("too short for even one record", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadArchive_CorruptLabel_NamesEntryRecordAndOffset()
    {
        using var dir = new TempFolder();
        WriteArchive(dir.File("a.tar.gz"), b =>
        {
            var bytes = Batch(b);
            if (b == 1)
                bytes[2 * Cifar10Reader.RecordSize] = 12;
            return bytes;
        });
        var e = Assert.Throws<InvalidDataException>(() => Cifar10Reader.ReadArchive(dir.File("a.tar.gz")));
        Assert.Contains("cifar-10-batches-bin/data_batch_2.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains("record 2 (offset 6146) has label 12", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadArchive_MissingBatch_ListsIt()
    {
        using var dir = new TempFolder();
        WriteArchive(dir.File("a.tar.gz"), skipTest: true);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10Reader.ReadArchive(dir.File("a.tar.gz")));
        Assert.Contains("lacks test_batch.bin", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadArchive_TruncatedArchive_IsAClearErrorNamingTheArchive()
    {
        using var dir = new TempFolder();
        WriteArchive(dir.File("a.tar.gz"));
        var bytes = File.ReadAllBytes(dir.File("a.tar.gz"));
        File.WriteAllBytes(dir.File("a.tar.gz"), bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10Reader.ReadArchive(dir.File("a.tar.gz")));
        Assert.Contains(dir.File("a.tar.gz"), e.Message, StringComparison.Ordinal);
    }
}
