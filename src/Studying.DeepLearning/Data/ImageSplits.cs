namespace Studying.DeepLearning.Data;

/// <summary>A data set's official training and test images.</summary>
/// <param name="Train">The training images.</param>
/// <param name="Test">The test images.</param>
/// <param name="Folder">Where the files were read from.</param>
public sealed record ImageSplits(ImageDataSet Train, ImageDataSet Test, string Folder)
{
    /// <summary>
    /// Refuses a test set whose images a model trained on the training set could not take: another size, another
    /// number of channels or another number of classes. Called before training, so that no training is thrown away.
    /// </summary>
    /// <exception cref="InvalidDataException">The two sets differ (the message gives both geometries and the folder).</exception>
    public void EnsureSameGeometry()
    {
        static string Describe(ImageDataSet d) => $"{d.Channels}×{d.Height}×{d.Width} images in {d.ClassNames.Count} classes";
        if (Train.Channels != Test.Channels || Train.Height != Test.Height || Train.Width != Test.Width || Train.ClassNames.Count != Test.ClassNames.Count)
        {
            throw new InvalidDataException($"{Folder}: the test set ({Test.Name}) holds {Describe(Test)} but the training set ({Train.Name}) holds {Describe(Train)}; "
                + "a model trained on one cannot be evaluated on the other. Use the test files that belong to these training files.");
        }
    }
}
