using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Serialization;
using Studying.DeepLearning.Plotting;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Data;

namespace Studying.DeepLearning.Benchmarks;

/// <summary>Settings of <see cref="DataBenchmark.Run"/>.</summary>
/// <param name="ImagesFile">An IDX images .gz to decode; null for Debian's Fashion-MNIST training images.</param>
/// <param name="Repeats">Timed repetitions of each measurement (the fastest counts).</param>
/// <param name="PipelineImages">Images (3×32×32, random) the pipeline benchmark runs over.</param>
/// <param name="BatchSize">Images per batch.</param>
/// <param name="CnnSteps">Training steps timed for the small CNN.</param>
public sealed record DataBenchmarkOptions(string? ImagesFile = null, int Repeats = 3, int PipelineImages = 10_240, int BatchSize = 128, int CnnSteps = 20);

/// <summary>What <see cref="DataBenchmark.Run"/> measured.</summary>
/// <param name="ImagesFile">The decoded file, or null if it was not found.</param>
/// <param name="Images">Images in it.</param>
/// <param name="DecompressSeconds">Fastest time to merely decompress the .gz stream into one buffer.</param>
/// <param name="DecodeSeconds">Fastest time to read, parse and convert it into a normalised float32 tensor.</param>
/// <param name="DecodeOverDecompress">DecodeSeconds ÷ DecompressSeconds (the target is ≤ 1.3).</param>
/// <param name="PipelineBatchesPerSecond">Augmented (crop + flip), normalised CIFAR-shaped batches delivered per second.</param>
/// <param name="CnnStepsPerSecond">Training steps per second of a small CNN on batches of the same shape.</param>
/// <param name="PipelineOverCnn">PipelineBatchesPerSecond ÷ CnnStepsPerSecond (the target is ≥ 3).</param>
/// <param name="BatchSize">Images per batch.</param>
/// <param name="Cores">Logical processors.</param>
public sealed record DataBenchmarkReport(
    string? ImagesFile, int Images, double? DecompressSeconds, double? DecodeSeconds, double? DecodeOverDecompress,
    double PipelineBatchesPerSecond, double CnnStepsPerSecond, double PipelineOverCnn, int BatchSize, int Cores)
{
    /// <summary>A bar chart of the two ratios against their targets.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, Figure> Figures { get; init; } = new Dictionary<string, Figure>();
}

/// <summary>
/// Timings for the data pipeline (not unit tests): IDX decoding against plain decompression, and augmented batches
/// per second against what a small CNN consumes.
/// </summary>
public static class DataBenchmark
{
    /// <summary>Runs both measurements.</summary>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="progress">Reports each measurement.</param>
    /// <param name="cancellationToken">Stops between measurements.</param>
    public static DataBenchmarkReport Run(DataBenchmarkOptions? options = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new DataBenchmarkOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Repeats, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.CnnSteps, nameof(options));
        if (options.PipelineImages < options.BatchSize)
            throw new ArgumentOutOfRangeException(nameof(options), $"PipelineImages ({options.PipelineImages}) must hold at least one batch of {options.BatchSize}.");
        TorchRuntime.EnsureLoaded();

        var file = options.ImagesFile ?? "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
        double? decompress = null, decode = null;
        var images = 0;
        if (File.Exists(file))
        {
            (decompress, decode, images) = MeasureDecode(file, options.Repeats, progress, cancellationToken);
        }
        else if (options.ImagesFile is not null)
        {
            throw new FileNotFoundException($"The images file {file} does not exist.", file);
        }
        else
        {
            progress?.Report($"{file} not found: decoding not measured");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var pipeline = MeasurePipeline(options, cancellationToken);
        progress?.Report($"pipeline: {pipeline:F1} augmented batches/s of {options.BatchSize}");
        var cnn = MeasureCnn(options, cancellationToken);
        progress?.Report($"small CNN: {cnn:F1} training steps/s");

        var ratio = decode / decompress;
        var report = new DataBenchmarkReport(decompress is null ? null : file, images, decompress, decode, ratio,
            pipeline, cnn, pipeline / cnn, options.BatchSize, Environment.ProcessorCount);
        return report with
        {
            Figures = new Dictionary<string, Figure>
            {
                ["data-bench"] = new Figure("Data pipeline: measured ratios and their targets",
                [
                    new BarTrace("measured", ["decode ÷ decompress", "pipeline ÷ CNN"], [ratio ?? double.NaN, pipeline / cnn]),
                    new BarTrace("target", ["decode ÷ decompress", "pipeline ÷ CNN"], [1.3, 3.0]),
                ]).WithAxisTitles("", "ratio"),
            },
        };
    }

    private static (double Decompress, double Decode, int Images) MeasureDecode(string file, int repeats, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var decompress = double.MaxValue;
        var decode = double.MaxValue;
        var images = 0;
        int size;
        using (var raw = File.OpenRead(file))
        {
            Span<byte> trailer = stackalloc byte[4];
            raw.Seek(-4, SeekOrigin.End);
            raw.ReadExactly(trailer);
            size = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(trailer);
        }
        for (var r = 0; r < repeats + 1; r++) // the first round warms up (file cache, JIT)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            using (var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress))
            {
                // Merely decompressing: the whole stream into one buffer of its size (gzip's trailer gives it), large reads.
                var all = GC.AllocateUninitializedArray<byte>(size + 1);
                if (gzip.ReadAtLeast(all, all.Length, throwOnEndOfStream: false) != size)
                    throw new InvalidDataException($"{file}: the gzip trailer's size {size} does not match the content.");
            }
            var plain = watch.Elapsed.TotalSeconds;

            watch.Restart();
            var (pixels, count, rows, columns) = IdxReader.ReadImages(file);
            var parsed = watch.Elapsed.TotalSeconds;
            var data = new ImageDataSet("bench", pixels, new byte[count], 1, rows, columns, ["any"]);
            using (var tensor = data.ToTensor([0.2860], [0.3530]))
            {
                var full = watch.Elapsed.TotalSeconds;
                if (r > 0)
                {
                    decompress = Math.Min(decompress, plain);
                    decode = Math.Min(decode, full);
                    progress?.Report($"decompress {plain * 1000:F0} ms, decode to tensor {full * 1000:F0} ms (of which read+parse {parsed * 1000:F0} ms; {count} images {rows}×{columns})");
                }
            }
            images = count;
        }
        return (decompress, decode, images);
    }

    private static double MeasurePipeline(DataBenchmarkOptions options, CancellationToken cancellationToken)
    {
        var pixels = new byte[options.PipelineImages * 3072];
        new Random(1).NextBytes(pixels);
        var labels = Enumerable.Range(0, options.PipelineImages).Select(i => (byte)(i % 10)).ToArray();
        var data = new ImageDataSet("synthetic cifar", pixels, labels, 3, 32, 32, Cifar10Reader.DefaultClassNames);
        var source = new ImageBatchSource(data, new ImageBatchOptions(options.BatchSize, Shuffle: true, Seed: 1, DropLast: true,
            Normalization: new ImageNormalization([0.49, 0.48, 0.45], [0.25, 0.24, 0.26]), Augmentation: ImageAugmentation.Cifar));
        var best = 0.0;
        for (var epoch = 1; epoch <= options.Repeats + 1; epoch++)
        {
            var watch = Stopwatch.StartNew();
            var batches = 0;
            foreach (var batch in source.GetBatches(epoch, cancellationToken))
            {
                batch.Dispose();
                batches++;
            }
            if (epoch > 1)
                best = Math.Max(best, batches / watch.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static double MeasureCnn(DataBenchmarkOptions options, CancellationToken cancellationToken)
    {
        using var model = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 8 * 8, 10));
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        using var inputs = randn(options.BatchSize, 3, 32, 32);
        using var targets = randint(0, 10, [options.BatchSize], dtype: ScalarType.Int64);
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(inputs), targets);
            loss.backward();
            optimizer.step();
        }
        for (var i = 0; i < 3; i++)
            Step();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < options.CnnSteps; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Step();
        }
        return options.CnnSteps / watch.Elapsed.TotalSeconds;
    }
}
