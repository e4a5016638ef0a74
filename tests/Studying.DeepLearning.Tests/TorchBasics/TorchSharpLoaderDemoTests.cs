using Studying.DeepLearning.TorchBasics;

namespace Studying.DeepLearning.Tests.TorchBasics;

[Collection(SeededTorchRandom.Name)]
[Trait("Tier", "unit")]
public class TorchSharpLoaderDemoTests
{
    [Fact]
    public void TorchSharpsDataLoader_BatchesDropsLastAndReproducesSeeds()
    {
        var demo = TorchSharpLoaderDemo.Run(items: 10, batchSize: 4, seed: 7);

        // 10 items in batches of 4: 4 + 4 + 2, or 2 full batches with drop_last.
        Assert.Equal(3, demo.Batches);
        Assert.Equal(2, demo.LastBatchSize);
        Assert.Equal(2, demo.BatchesWithDropLast);
        Assert.Equal([4L, 3L], demo.FeatureShape);
        Assert.Equal(4, demo.FirstBatchIndices.Count);
        Assert.Equal(4, demo.FirstBatchIndices.Distinct().Count());
        Assert.True(demo.SameSeedSameOrder);
        Assert.True(demo.OtherSeedOtherOrder);
        Assert.True(demo.WorkersChangeNothing);
        Assert.True(demo.PrefetchingSameOrder);
    }
}
