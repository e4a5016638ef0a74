namespace Studying.DeepLearning.Data;

/// <summary>Per-channel normalisation of [0, 1] pixels: (x − Mean[c]) / StandardDeviation[c].</summary>
/// <param name="Mean">The mean of each channel.</param>
/// <param name="StandardDeviation">The standard deviation of each channel.</param>
public sealed record ImageNormalization(IReadOnlyList<double> Mean, IReadOnlyList<double> StandardDeviation)
{
    /// <summary>The statistics of a (training) set; use the same ones for its validation and test sets.</summary>
    /// <param name="data">The images to measure.</param>
    public static ImageNormalization Compute(ImageDataSet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (mean, deviation) = data.ChannelStatistics();
        return new ImageNormalization(mean, deviation);
    }
}
