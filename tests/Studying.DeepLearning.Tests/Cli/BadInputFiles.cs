using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Studying.DeepLearning.Tests.Cli;

/// <summary>
/// Tiny data sets for the bad-input suite, written byte by byte from the formats' definitions (not by the library's
/// writers, so the readers are checked against an independent source): MNIST-style IDX .gz files and CIFAR-10 batches.
/// </summary>
internal static class BadInputFiles
{
    public const string TrainImages = "train-images-idx3-ubyte.gz";
    public const string TrainLabels = "train-labels-idx1-ubyte.gz";
    public const string TestImages = "t10k-images-idx3-ubyte.gz";
    public const string TestLabels = "t10k-labels-idx1-ubyte.gz";

    /// <summary>Training and test images per set: the sample grid needs six test images of each of the ten classes.</summary>
    public const int TrainCount = 80, TestCount = 60;

    /// <summary>An IDX images file: magic 0x803, count, rows, columns (big-endian), then the pixels.</summary>
    public static byte[] Images(int count, int rows = 28, int columns = 28, int magic = 0x803, int? headerCount = null)
    {
        var pixels = count * rows * columns;
        var bytes = new byte[16 + pixels];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), headerCount ?? count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        for (var i = 0; i < pixels; i++)
            bytes[16 + i] = (byte)(i * 7 % 256);
        return bytes;
    }

    /// <summary>An IDX labels file: magic 0x801, count, then one byte per label (i mod 10).</summary>
    public static byte[] Labels(int count, int magic = 0x801, int? headerCount = null)
    {
        var bytes = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), headerCount ?? count);
        for (var i = 0; i < count; i++)
            bytes[8 + i] = (byte)(i % 10);
        return bytes;
    }

    public static byte[] Gzip(byte[] content)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest))
            gzip.Write(content);
        return memory.ToArray();
    }

    /// <summary>The four files of a good tiny Fashion-MNIST, gzipped, by file name.</summary>
    public static Dictionary<string, byte[]> GoodIdx() => new()
    {
        [TrainImages] = Gzip(Images(TrainCount)),
        [TrainLabels] = Gzip(Labels(TrainCount)),
        [TestImages] = Gzip(Images(TestCount)),
        [TestLabels] = Gzip(Labels(TestCount)),
    };

    /// <summary>A CIFAR-10 batch: records of one label byte and 3,072 pixel bytes.</summary>
    public static byte[] CifarBatch(int records, int firstLabel = 0)
    {
        var bytes = new byte[records * 3073];
        for (var r = 0; r < records; r++)
        {
            bytes[r * 3073] = (byte)((firstLabel + r) % 10);
            for (var p = 1; p < 3073; p++)
                bytes[r * 3073 + p] = (byte)((r * 31 + p) % 256);
        }
        return bytes;
    }

    /// <summary>The extracted CIFAR-10 folder's files: five training batches of 20 records, a test batch of 60, the class names.</summary>
    public static Dictionary<string, byte[]> GoodCifar()
    {
        var files = new Dictionary<string, byte[]>();
        for (var b = 1; b <= 5; b++)
            files[$"data_batch_{b}.bin"] = CifarBatch(20, b);
        files["test_batch.bin"] = CifarBatch(60);
        files["batches.meta.txt"] = "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n"u8.ToArray();
        return files;
    }

    public static void Write(string folder, IReadOnlyDictionary<string, byte[]> files)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, content) in files)
            File.WriteAllBytes(Path.Combine(folder, name), content);
    }

    /// <summary>Every file under the folders (or the file itself), relative path → SHA-256: what must not change.</summary>
    public static Dictionary<string, string> Snapshot(params string[] paths)
    {
        var hashes = new Dictionary<string, string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
                hashes[path] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
            else if (Directory.Exists(path))
            {
                hashes[path + "/"] = "folder";
                // A checkpoint folder's lock bookkeeping (holder PID, start time) is rewritten by every run that opens
                // the folder, refused or not; what must not change is the work in it.
                foreach (var file in Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories)
                             .Where(f => Path.GetFileName(f) is not (Studying.DeepLearning.Training.CheckpointFolder.LockFileName or Studying.DeepLearning.Training.CheckpointFolder.OwnerFileName)))
                    hashes[file] = File.Exists(file) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))) : "folder";
            }
        }
        return hashes;
    }
}
