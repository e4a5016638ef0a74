namespace Studying.DeepLearning.Data;

/// <summary>
/// An MNIST-style data set of four IDX files (training/test images and labels), where to find them and how to
/// verify a download. Use <see cref="FashionMnist"/> or <see cref="Mnist"/>.
/// </summary>
/// <remarks>
/// Downloads are checked with the MD5 sums the data sets' publishers give (Zalando Research's repository and
/// torchvision for Fashion-MNIST, torchvision for MNIST); no SHA-256 of the official .gz files is published, and
/// Debian's copies cannot stand in because Debian recompressed them (same content, different .gz bytes).
/// </remarks>
public sealed class IdxDataSet
{
    private static readonly Uri FashionS3 = new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");
    private static readonly Uri FashionGitHub = new("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/");
    private static readonly Uri MnistLeCun = new("http://yann.lecun.com/exdb/mnist/");
    private static readonly Uri MnistOssci = new("https://ossci-datasets.s3.amazonaws.com/mnist/");

    private IdxDataSet(string name, IReadOnlyList<string> classNames, Uri[] mirrors, string[] md5)
    {
        Name = name;
        ClassNames = classNames;
        string[] names = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
        Files = names.Select((f, i) => new RemoteFile(f, mirrors.Select(m => new Uri(m, f)).ToArray(), md5[i], HashKind.Md5)).ToArray();
    }

    /// <summary>Fashion-MNIST (Zalando Research, MIT licence): 60,000 + 10,000 grey 28×28 images of ten kinds of clothing.</summary>
    public static IdxDataSet FashionMnist { get; } = new("fashion-mnist",
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        [FashionS3, FashionGitHub],
        ["8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe", "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"]);

    /// <summary>MNIST handwritten digits: 60,000 + 10,000 grey 28×28 images of the digits 0–9.</summary>
    public static IdxDataSet Mnist { get; } = new("mnist",
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        [MnistOssci, MnistLeCun],
        ["f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432", "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"]);

    /// <summary>The data set's folder name, such as "fashion-mnist".</summary>
    public string Name { get; }

    /// <summary>The ten class names.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The four files (training images, training labels, test images, test labels) with URLs and hashes.</summary>
    public IReadOnlyList<RemoteFile> Files { get; }

    /// <summary>Finds (or downloads) the four files and reads them.</summary>
    /// <param name="sources">Where to look; null for <see cref="DataSetSources.Default"/>.</param>
    /// <param name="progress">Reports where the files were found and any download.</param>
    /// <param name="cancellationToken">Stops a download.</param>
    /// <exception cref="FileNotFoundException">Not found and downloads are off.</exception>
    /// <exception cref="InvalidDataException">A file is malformed (the message names it and the offset).</exception>
    public ImageSplits Load(DataSetSources? sources = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var folder = (sources ?? DataSetSources.Default()).Locate(Name, Files, progress, cancellationToken);
        return Read(folder);
    }

    /// <summary>Reads the four files from one folder.</summary>
    /// <param name="folder">A folder holding the four files.</param>
    public ImageSplits Read(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        string P(int i) => Path.Combine(folder, Files[i].FileName);
        var train = IdxReader.Read(P(0), P(1), ClassNames, $"{Name} train");
        var test = IdxReader.Read(P(2), P(3), ClassNames, $"{Name} test");
        return new ImageSplits(train, test, folder);
    }
}
