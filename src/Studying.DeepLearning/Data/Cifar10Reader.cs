using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Studying.DeepLearning.Data;

/// <summary>
/// Reads CIFAR-10's binary version: <c>cifar-10-binary.tar.gz</c> or its extracted <c>cifar-10-batches-bin/</c>
/// folder (data_batch_1..5.bin, test_batch.bin, batches.meta.txt). Each record is one label byte and 3,072 pixel
/// bytes (1,024 red, 1,024 green, 1,024 blue, each 32×32 row-major).
/// </summary>
public static class Cifar10Reader
{
    /// <summary>Bytes per record: 1 label + 3 × 32 × 32 pixels.</summary>
    public const int RecordSize = 1 + 3 * 32 * 32;

    /// <summary>The data set's folder name under a data root.</summary>
    public const string Name = "cifar-10";

    /// <summary>The archive's file name.</summary>
    public const string ArchiveName = "cifar-10-binary.tar.gz";

    /// <summary>The folder the archive extracts to.</summary>
    public const string FolderName = "cifar-10-batches-bin";

    /// <summary>The training batch files, in order, then the test batch.</summary>
    public static IReadOnlyList<string> BatchFiles { get; } = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"];

    /// <summary>The official archive. Its page publishes an MD5 sum only, so that is what a download is checked with.</summary>
    public static RemoteFile Archive { get; } = new(ArchiveName, [new Uri("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz")],
        "c32a1d4ab5d03f1284b67883e8d87530", HashKind.Md5);

    /// <summary>
    /// Finds CIFAR-10 (an extracted <c>cifar-10-batches-bin</c> folder or the archive, in the folders of
    /// <paramref name="sources"/>, subfolder <c>cifar-10</c>), downloading the verified archive if allowed, and reads it.
    /// </summary>
    /// <param name="sources">Where to look; null for <see cref="DataSetSources.Default"/>.</param>
    /// <param name="progress">Reports where it was found and any download.</param>
    /// <param name="cancellationToken">Stops a download.</param>
    public static ImageSplits Load(DataSetSources? sources = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        sources ??= DataSetSources.Default();
        if (sources.IsExplicit)
        {
            // The folder the user named, and nothing else: the extracted batches (in it or its cifar-10-batches-bin), or the archive.
            var folder = sources.Folder!;
            var extracted = Directory.Exists(Path.Combine(folder, FolderName)) ? Path.Combine(folder, FolderName) : folder;
            if (File.Exists(Path.Combine(folder, ArchiveName)) && !BatchFiles.All(f => File.Exists(Path.Combine(extracted, f))))
                return ReadArchive(Path.Combine(folder, ArchiveName));
            DataSetSources.RequireFiles(Name, extracted, BatchFiles, ArchiveName);
            progress?.Report($"{Name}: found {extracted}");
            return ReadFolder(extracted);
        }
        foreach (var folder in sources.Candidates(Name))
        {
            foreach (var extracted in new[] { Path.Combine(folder, FolderName), folder })
            {
                if (BatchFiles.All(f => File.Exists(Path.Combine(extracted, f))))
                {
                    progress?.Report($"{Name}: found {extracted}");
                    return ReadFolder(extracted);
                }
            }
        }
        var located = sources.Locate(Name, [Archive], progress, cancellationToken);
        return ReadArchive(Path.Combine(located, ArchiveName));
    }

    /// <summary>Reads the extracted folder (the six batch files; class names from batches.meta.txt if present).</summary>
    /// <param name="folder">The <c>cifar-10-batches-bin</c> folder.</param>
    public static ImageSplits ReadFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var meta = Path.Combine(folder, "batches.meta.txt");
        var classNames = File.Exists(meta) ? ParseClassNames(File.ReadAllText(meta), meta) : DefaultClassNames;
        var batches = BatchFiles.Select(f =>
        {
            var path = Path.Combine(folder, f);
            using var stream = File.OpenRead(path);
            return ReadBatch(stream, path, stream.Length);
        }).ToArray();
        return Assemble(batches, classNames, folder);
    }

    /// <summary>Reads the six batch files and the class names straight out of the .tar.gz archive.</summary>
    /// <param name="path">The <c>cifar-10-binary.tar.gz</c> file.</param>
    public static ImageSplits ReadArchive(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var batches = new (byte[] Labels, byte[] Pixels)?[BatchFiles.Count];
        IReadOnlyList<string> classNames = DefaultClassNames;
        using (var file = File.OpenRead(path))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            try
            {
                while (tar.GetNextEntry() is { } entry)
                {
                    if (entry.DataStream is null)
                        continue;
                    var name = Path.GetFileName(entry.Name);
                    var where = $"{path}!{entry.Name}";
                    var index = BatchFiles.ToList().IndexOf(name);
                    if (index >= 0)
                        batches[index] = ReadBatch(entry.DataStream, where, entry.Length);
                    else if (name == "batches.meta.txt")
                        classNames = ParseClassNames(new StreamReader(entry.DataStream, Encoding.ASCII).ReadToEnd(), where);
                }
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException && !e.Message.StartsWith(path, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{path}: the archive is corrupt or truncated ({e.Message}).", e);
            }
        }
        var missing = BatchFiles.Where((_, i) => batches[i] is null).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"{path}: the archive lacks {string.Join(", ", missing)}; a CIFAR-10 binary archive holds {FolderName}/ with all six batch files.");
        return Assemble(batches.Select(b => b!.Value).ToArray(), classNames, path);
    }

    /// <summary>Reads one batch file of whole records.</summary>
    /// <param name="stream">The file's content.</param>
    /// <param name="name">The file's name for errors.</param>
    /// <param name="length">The content's length in bytes.</param>
    /// <exception cref="InvalidDataException">A length that is not whole records, a short read, or a label ≥ 10.</exception>
    public static (byte[] Labels, byte[] Pixels) ReadBatch(Stream stream, string name, long length)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (length == 0 || length % RecordSize != 0)
            throw new InvalidDataException($"{name}: {length} bytes is not a whole number of {RecordSize}-byte records (1 label + 3,072 pixels); "
                + (length < RecordSize ? "the file is too short for even one record." : $"record {length / RecordSize} (from offset {length / RecordSize * RecordSize}) is cut off after {length % RecordSize} bytes."));
        if (length > (long)Array.MaxLength)
            throw new InvalidDataException($"{name}: {length} bytes is too large for a batch file.");
        var content = GC.AllocateUninitializedArray<byte>((int)length);
        var read = stream.ReadAtLeast(content, content.Length, throwOnEndOfStream: false);
        if (read < content.Length)
            throw new InvalidDataException($"{name}: truncated — {length} bytes expected but the content ends at offset {read}, inside record {read / RecordSize}.");
        var count = (int)(length / RecordSize);
        var labels = new byte[count];
        var pixels = GC.AllocateUninitializedArray<byte>(count * (RecordSize - 1));
        for (var i = 0; i < count; i++)
        {
            var label = content[i * RecordSize];
            if (label >= 10)
                throw new InvalidDataException($"{name}: record {i} (offset {(long)i * RecordSize}) has label {label}; CIFAR-10 labels are 0–9.");
            labels[i] = label;
            content.AsSpan(i * RecordSize + 1, RecordSize - 1).CopyTo(pixels.AsSpan(i * (RecordSize - 1)));
        }
        return (labels, pixels);
    }

    /// <summary>CIFAR-10's class names, as in batches.meta.txt.</summary>
    public static IReadOnlyList<string> DefaultClassNames { get; } = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    private static string[] ParseClassNames(string text, string name)
    {
        var names = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (names.Length != 10)
            throw new InvalidDataException($"{name}: {names.Length} class names found; CIFAR-10 has 10 (one per line).");
        return names;
    }

    private static ImageSplits Assemble((byte[] Labels, byte[] Pixels)[] batches, IReadOnlyList<string> classNames, string source)
    {
        var train = batches[..^1];
        var trainLabels = train.SelectMany(b => b.Labels).ToArray();
        var trainPixels = GC.AllocateUninitializedArray<byte>(train.Sum(b => b.Pixels.Length));
        var offset = 0;
        foreach (var b in train)
        {
            b.Pixels.CopyTo(trainPixels, offset);
            offset += b.Pixels.Length;
        }
        var test = batches[^1];
        return new ImageSplits(
            new ImageDataSet("cifar-10 train", trainPixels, trainLabels, 3, 32, 32, classNames),
            new ImageDataSet("cifar-10 test", test.Pixels, test.Labels, 3, 32, 32, classNames),
            source);
    }
}
