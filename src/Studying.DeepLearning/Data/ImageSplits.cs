namespace Studying.DeepLearning.Data;

/// <summary>A data set's official training and test images.</summary>
/// <param name="Train">The training images.</param>
/// <param name="Test">The test images.</param>
/// <param name="Folder">Where the files were read from.</param>
public sealed record ImageSplits(ImageDataSet Train, ImageDataSet Test, string Folder);
