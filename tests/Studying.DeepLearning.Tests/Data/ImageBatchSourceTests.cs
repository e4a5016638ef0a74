using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Data;

namespace Studying.DeepLearning.Tests.Data;

[Trait("Tier", "unit")]
public class ImageBatchSourceTests
{
    private static ImageDataSet Data(int count = 37, int channels = 3, int size = 8)
    {
        var random = new Random(4);
        var pixels = new byte[count * channels * size * size];
        random.NextBytes(pixels);
        return new ImageDataSet("random", pixels, [.. Enumerable.Range(0, count).Select(i => (byte)(i % 10))], channels, size, size,
            [.. Enumerable.Range(0, 10).Select(i => $"c{i}")]);
    }

    private static List<(float[] Inputs, long[] Targets)> Pass(ImageBatchSource source, int epoch)
    {
        var batches = new List<(float[], long[])>();
        foreach (var batch in source.GetBatches(epoch))
        {
            using (batch)
                batches.Add((batch.Inputs.data<float>().ToArray(), batch.Targets.data<long>().ToArray()));
        }
        return batches;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void WithoutAugmentation_BatchesAreTheNormalisedImagesInTheEpochsOrder(int prefetch)
    {
        var data = Data();
        var normalization = new ImageNormalization([0.5, 0.4, 0.3], [0.25, 0.2, 0.1]);
        var source = new ImageBatchSource(data, new ImageBatchOptions(BatchSize: 10, Seed: 2, Normalization: normalization, Prefetch: prefetch));
        var (order, _) = source.PlanEpoch(3);
        var batches = Pass(source, 3);

        Assert.Equal([10, 10, 10, 7], batches.Select(b => b.Targets.Length));
        var position = 0;
        foreach (var (inputs, targets) in batches)
        {
            for (var i = 0; i < targets.Length; i++, position++)
            {
                var index = order[position];
                Assert.Equal(data.Labels[index], targets[i]);
                for (var k = 0; k < data.ImageSize; k += 17)
                {
                    var c = k / 64;
                    var expected = (data.Pixels[index * data.ImageSize + k] / 255.0 - normalization.Mean[c]) / normalization.StandardDeviation[c];
                    Assert.Equal(expected, inputs[i * data.ImageSize + k], 1e-5 * Math.Max(1, Math.Abs(expected)));
                }
            }
        }
        Assert.Equal(Enumerable.Range(0, data.Count), order.Order());
        Assert.NotEqual(Enumerable.Range(0, data.Count), order);
    }

    [Fact]
    public void Augmentation_DiffersAcrossImagesOfOneBatch_AndIsReproducible()
    {
        var data = Data(count: 64);
        var options = new ImageBatchOptions(BatchSize: 64, Shuffle: false, Seed: 7, Augmentation: new ImageAugmentation(2, true));
        var source = new ImageBatchSource(data, options);
        var (_, choices) = source.PlanEpoch(1);

        // Per image: many different shifts and both flip states within the single batch.
        Assert.True(choices.Distinct().Count() > 10);
        Assert.Contains(choices, c => c.Flip);
        Assert.Contains(choices, c => !c.Flip);

        // The batch holds exactly each image transformed by its own choice (padding shows as byte 0 → 0.0).
        var batch = Assert.Single(Pass(source, 1));
        for (var i = 0; i < data.Count; i++)
        {
            var expected = ImageAugmentation.Apply(data.Pixels.AsSpan(i * data.ImageSize, data.ImageSize), 3, 8, 8, choices[i]);
            var actual = batch.Inputs.AsSpan(i * data.ImageSize, data.ImageSize).ToArray();
            for (var k = 0; k < actual.Length; k++)
                Assert.Equal(expected[k] / 255.0, actual[k], 1e-6);
        }

        // Same seed and epoch: same batch; another epoch: other choices; another source with the same seed: same.
        Assert.Equal(batch.Inputs, Assert.Single(Pass(source, 1)).Inputs);
        Assert.NotEqual(batch.Inputs, Assert.Single(Pass(source, 2)).Inputs);
        Assert.Equal(batch.Inputs, Assert.Single(Pass(new ImageBatchSource(data, options), 1)).Inputs);
    }

    [Fact]
    public void DropLast_LeavesOutTheShortBatch()
    {
        var source = new ImageBatchSource(Data(), new ImageBatchOptions(BatchSize: 10, DropLast: true));
        Assert.Equal(30, source.SampleCount);
        Assert.Equal([10, 10, 10], Pass(source, 1).Select(b => b.Targets.Length));
    }

    [Fact]
    public void StoppingEarly_DisposesTheBatchesAlreadyPrepared()
    {
        var source = new ImageBatchSource(Data(count: 200), new ImageBatchOptions(BatchSize: 4, Prefetch: 3));
        using var cancel = new CancellationTokenSource();
        var taken = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var batch in source.GetBatches(1, cancel.Token))
            {
                batch.Dispose();
                if (++taken == 2)
                    cancel.Cancel();
            }
        });
        Assert.Equal(2, taken);
        // A new pass after the abandoned one still delivers everything.
        Assert.Equal(50, Pass(source, 1).Count);
    }

    [Fact]
    public void BadOptions_AreRejected()
    {
        var data = Data();
        Assert.Throws<ArgumentException>(() => new ImageBatchSource(data, new ImageBatchOptions(Normalization: new ImageNormalization([0.5], [0.2]))));
        Assert.Throws<ArgumentException>(() => new ImageBatchSource(data, new ImageBatchOptions(Normalization: new ImageNormalization([0.5, 0.5, 0.5], [0.2, 0, 0.2]))));
        Assert.Throws<ArgumentException>(() => new ImageBatchSource(data, new ImageBatchOptions(Augmentation: new ImageAugmentation(8, false))));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageBatchSource(data, new ImageBatchOptions(BatchSize: 0)));
    }
}
