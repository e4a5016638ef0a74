namespace Studying.DeepLearning.Data;

/// <summary>How <see cref="ImageBatchSource"/> makes batches.</summary>
/// <param name="BatchSize">Images per batch.</param>
/// <param name="Shuffle">Shuffle the order every epoch (seeded by seed and epoch).</param>
/// <param name="Seed">Seeds the shuffle and the augmentation.</param>
/// <param name="DropLast">Leave out a last batch smaller than <paramref name="BatchSize"/>.</param>
/// <param name="Normalization">Per-channel mean and deviation (of [0, 1] pixels), or null to only scale to [0, 1].</param>
/// <param name="Augmentation">Per-image crop and flip, or null for none (evaluation).</param>
/// <param name="Prefetch">Batches prepared ahead on a background thread; 0 prepares each on the caller's thread.</param>
public sealed record ImageBatchOptions(
    int BatchSize = 128, bool Shuffle = true, int Seed = 0, bool DropLast = false,
    ImageNormalization? Normalization = null, ImageAugmentation? Augmentation = null, int Prefetch = 2);
