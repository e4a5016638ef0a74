using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Classification;

/// <summary>
/// Builds this chapter's classifiers by name, for the CLI and the notebooks. Every model returns LOGITS
/// [batch, classes]: train it with <c>cross_entropy</c> (which applies log-softmax itself) and apply softmax only to
/// read probabilities.
/// </summary>
public static class ClassifierModels
{
    /// <summary>The image model names <see cref="Create"/> accepts: "softmax", "mlp", "cnn", "lenet".</summary>
    public static IReadOnlyList<string> Names { get; } = ["softmax", "mlp", "cnn", "lenet"];

    /// <summary>The table model names <see cref="CreateForTable"/> accepts: "softmax", "mlp".</summary>
    public static IReadOnlyList<string> TableNames { get; } = ["softmax", "mlp"];

    /// <summary>
    /// An image classifier: "softmax" → <see cref="SoftmaxRegression"/>; "mlp" → <see cref="MultilayerPerceptron"/>
    /// 256-128-100 with dropout 0.2; "cnn" → <see cref="SmallCnn"/>; "lenet" → <see cref="LeNet5"/> (sigmoid and
    /// average pooling, as d2l.ai's LeNet; notebook 3-3). Initialised by TorchSharp's defaults, seeded by
    /// <c>torch.random.manual_seed</c>.
    /// </summary>
    /// <param name="name">One of <see cref="Names"/> (case-insensitive).</param>
    /// <param name="inputChannels">Image channels (1 for Fashion-MNIST, 3 for CIFAR-10).</param>
    /// <param name="imageSize">Image height and width in pixels.</param>
    /// <param name="classes">Number of classes.</param>
    /// <exception cref="ArgumentException">An unknown name (the message lists the valid ones).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size the model cannot take.</exception>
    public static nn.Module<Tensor, Tensor> Create(string name, int inputChannels, (int Height, int Width) imageSize, int classes)
    {
        ArgumentNullException.ThrowIfNull(name);
        ModelInput.Positive(inputChannels, nameof(inputChannels));
        ModelInput.Positive(imageSize.Height, nameof(imageSize) + ".Height");
        ModelInput.Positive(imageSize.Width, nameof(imageSize) + ".Width");
        ModelInput.Positive(classes, nameof(classes));
        var features = checked(inputChannels * imageSize.Height * imageSize.Width);
        return name.Trim().ToLowerInvariant() switch
        {
            "softmax" => new SoftmaxRegression(features, classes),
            "mlp" => new MultilayerPerceptron(features, MultilayerPerceptron.BenchmarkHiddenSizes, classes, dropout: 0.2),
            "cnn" => new SmallCnn(inputChannels, imageSize.Height, imageSize.Width, classes),
            "lenet" => new LeNet5(inputChannels, imageSize.Height, imageSize.Width, classes),
            _ => throw new ArgumentException($"Unknown image model '{name}'; valid names are: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>A classifier for table rows: "softmax" → <see cref="SoftmaxRegression"/>; "mlp" → <see cref="TabularMlp"/> with one hidden layer.</summary>
    /// <param name="name">One of <see cref="TableNames"/> (case-insensitive).</param>
    /// <param name="inputFeatures">Columns per row.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="hiddenSize">Width of the MLP's hidden layer.</param>
    /// <param name="dropout">Dropout after the MLP's hidden layer, in [0, 1).</param>
    /// <exception cref="ArgumentException">An unknown name (the message lists the valid ones).</exception>
    public static nn.Module<Tensor, Tensor> CreateForTable(string name, int inputFeatures, int classes, int hiddenSize = 64, double dropout = 0.1)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "softmax" => new SoftmaxRegression(inputFeatures, classes),
            "mlp" => new TabularMlp(inputFeatures, hiddenSize, classes, dropout),
            _ => throw new ArgumentException($"Unknown table model '{name}'; valid names are: {string.Join(", ", TableNames)}.", nameof(name)),
        };
    }

    /// <summary>The number of trainable values: Σ numel over the parameters (batch-norm running statistics are buffers, not counted).</summary>
    /// <param name="module">The model.</param>
    public static long CountParameters(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.parameters().Sum(p => p.numel());
    }
}
