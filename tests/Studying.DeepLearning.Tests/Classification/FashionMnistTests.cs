using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Data;

namespace Studying.DeepLearning.Tests.Classification;

/// <summary>The real Fashion-MNIST from Debian's dataset-fashion-mnist (skipped where it is not installed).</summary>
[Trait("Tier", "data")]
public class FashionMnistTests
{
    private const string Debian = "/usr/share/datasets/fashion-mnist";

    [SkippableFactIfMissing(Debian)]
    public void Load_DebianCopy_HasKnownCountsLabelsAndPixelRange()
    {
        var splits = IdxDataSet.FashionMnist.Load(new DataSetSources(null, null, null, "/usr/share/datasets", AllowDownload: false));

        Assert.Equal(Debian, splits.Folder);
        Assert.Equal((60_000, 28, 28), (splits.Train.Count, splits.Train.Height, splits.Train.Width));
        Assert.Equal(10_000, splits.Test.Count);
        Assert.Equal(9, splits.Train.Labels[0]);
        Assert.Equal("Ankle boot", splits.Train.ClassNames[splits.Train.Labels[0]]);
        Assert.Equal(9, splits.Test.Labels[0]);
        Assert.Equal(0, splits.Train.Pixels.Min());
        Assert.Equal(255, splits.Train.Pixels.Max());
        // Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class.
        Assert.All(splits.Train.ClassCounts(), n => Assert.Equal(6_000, n));
        Assert.All(splits.Test.ClassCounts(), n => Assert.Equal(1_000, n));
        // The well-known training mean and deviation of Fashion-MNIST (0.2860, 0.3530).
        var (mean, deviation) = splits.Train.ChannelStatistics();
        Assert.Equal(0.2860, mean[0], 3);
        Assert.Equal(0.3530, deviation[0], 3);
    }
}

/// <summary>A fact reported as skipped (with the reason, never as passed) when a folder is missing.</summary>
public sealed class SkippableFactIfMissingAttribute : FactAttribute
{
    public SkippableFactIfMissingAttribute(string folder)
    {
        if (!Directory.Exists(folder))
            Skip = $"{folder} is not installed.";
    }
}
