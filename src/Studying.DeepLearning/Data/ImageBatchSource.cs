using System.Collections.Concurrent;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Data;

/// <summary>
/// Batches of images for a trainer: shuffled per epoch, augmented per image, normalised per channel, written
/// straight into each batch tensor through per-channel lookup tables, and prepared ahead on a background thread.
/// All random decisions of an epoch are made up front from (seed, epoch), so a pass is reproducible.
/// </summary>
public sealed class ImageBatchSource : IBatchSource
{
    private readonly float[][] tables;
    private readonly float[] scale;
    private readonly float[] offset;

    /// <summary>Creates a source over <paramref name="data"/>.</summary>
    /// <param name="data">The images.</param>
    /// <param name="options">Batch size, shuffle, normalisation, augmentation; null for the defaults.</param>
    public ImageBatchSource(ImageDataSet data, ImageBatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new ImageBatchOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Prefetch, nameof(options));
        if (options.Augmentation is { } a && (a.Padding < 0 || a.Padding >= Math.Min(data.Height, data.Width)))
            throw new ArgumentException($"Padding {a.Padding} must be between 0 and less than the image size {data.Height}×{data.Width}.", nameof(options));
        Data = data;
        Options = options;
        (scale, offset) = PixelConversion.ChannelAffine(data.Channels, options.Normalization?.Mean, options.Normalization?.StandardDeviation);
        tables = PixelConversion.LookupTables(scale, offset);
        TorchRuntime.EnsureLoaded();
    }

    /// <summary>The images.</summary>
    public ImageDataSet Data { get; }

    /// <summary>The options.</summary>
    public ImageBatchOptions Options { get; }

    /// <inheritdoc />
    public long SampleCount => Options.DropLast ? Data.Count / Options.BatchSize * Options.BatchSize : Data.Count;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => Data.ClassNames;

    /// <summary>The image order and per-image augmentation of one epoch (what <see cref="GetBatches"/> will deliver).</summary>
    /// <param name="epoch">The epoch number.</param>
    public (int[] Order, AugmentationChoice[] Choices) PlanEpoch(int epoch)
    {
        var random = BatchSeeds.For(Options.Seed, epoch);
        var order = BatchSeeds.Order(Data.Count, Options.Shuffle, random);
        var choices = new AugmentationChoice[Data.Count];
        if (Options.Augmentation is { } augmentation)
        {
            var augmentRandom = BatchSeeds.For(Options.Seed, epoch, stream: 1);
            for (var i = 0; i < choices.Length; i++)
                choices[i] = augmentation.Choose(augmentRandom);
        }
        return (order, choices);
    }

    /// <inheritdoc />
    public IEnumerable<LabeledBatch> GetBatches(int epoch, CancellationToken cancellationToken = default)
    {
        var (order, choices) = PlanEpoch(epoch);
        var ranges = BatchSeeds.Ranges(Data.Count, Options.BatchSize, Options.DropLast);
        return Options.Prefetch == 0
            ? ranges.Select(r =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                return MakeBatch(order, choices, r.Start, r.End);
            })
            : Prefetched(ranges, order, choices, cancellationToken);
    }

    /// <summary>Builds the batch of positions [start, end) of the epoch's order.</summary>
    internal LabeledBatch MakeBatch(int[] order, AugmentationChoice[] choices, int start, int end)
    {
        var count = end - start;
        var size = Data.ImageSize;
        var inputs = empty([count, Data.Channels, Data.Height, Data.Width], ScalarType.Float32);
        try
        {
            var destination = PixelConversion.FloatSpan(inputs);
            var labels = new long[count];
            var augment = Options.Augmentation is not null;
            for (var i = 0; i < count; i++)
            {
                var index = order[start + i];
                var image = Data.Pixels.AsSpan(index * size, size);
                var target = destination.Slice(i * size, size);
                if (augment)
                    ImageAugmentation.Write(image, Data.Channels, Data.Height, Data.Width, choices[start + i], tables, target);
                else
                    ConvertPlain(image, target);
                labels[i] = Data.Labels[index];
            }
            return new LabeledBatch(inputs, tensor(labels, ScalarType.Int64));
        }
        catch
        {
            inputs.Dispose();
            throw;
        }
    }

    private void ConvertPlain(ReadOnlySpan<byte> image, Span<float> target)
    {
        var plane = Data.Height * Data.Width;
        PixelConversion.Convert(image, target, plane, Data.Channels, scale, offset);
    }

    private IEnumerable<LabeledBatch> Prefetched(IEnumerable<(int Start, int End)> ranges, int[] order, AugmentationChoice[] choices, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var queue = new BlockingCollection<LabeledBatch>(Options.Prefetch);
        Exception? failure = null;
        var producer = Task.Run(() =>
        {
            try
            {
                foreach (var (start, end) in ranges)
                {
                    var batch = MakeBatch(order, choices, start, end);
                    try
                    {
                        queue.Add(batch, stop.Token);
                    }
                    catch
                    {
                        batch.Dispose();
                        throw;
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, CancellationToken.None);
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(cancellationToken))
                yield return batch;
            producer.Wait(CancellationToken.None);
            if (failure is not null)
                throw new InvalidOperationException($"Preparing a batch of {Data.Name} failed: {failure.Message}", failure);
        }
        finally
        {
            stop.Cancel();
            producer.Wait(CancellationToken.None);
            while (queue.TryTake(out var left))
                left.Dispose();
        }
    }
}
