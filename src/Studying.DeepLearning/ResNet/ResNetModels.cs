using Studying.DeepLearning.Classification;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Data;

namespace Studying.DeepLearning.ResNet;

/// <summary>
/// Builds this chapter's networks by name, for the CLI and the notebooks: the residual family (<see cref="Names"/>) and
/// <see cref="InceptionNet"/> ("inception"; all of them in <see cref="AllNames"/>). Every model returns LOGITS
/// [batch, classes] for images [batch, channels, H, W].
/// </summary>
public static class ResNetModels
{
    private static readonly int[] CifarDepths = [20, 32, 44, 56, 110];

    /// <summary>
    /// The names <see cref="Create"/> accepts: "resnet18", "resnet34", "resnet50", "resnet101", "resnet152"
    /// (ImageNet stem); "cifar-resnet18" (kuangliu's); "resnet20" … "resnet110" and "plain20" … "plain110"
    /// (He et al.'s CIFAR networks and their plain twins).
    /// </summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "cifar-resnet18",
        .. CifarDepths.Select(d => $"resnet{d}"), .. CifarDepths.Select(d => $"plain{d}"),
    ];

    /// <summary>
    /// Every name <see cref="Create"/> and <see cref="ForImages"/> accept: the residual family (<see cref="Names"/>, which
    /// <see cref="ResNetArchitectureSection"/> compares against reference counts) and "inception" (<see cref="InceptionNet"/>).
    /// </summary>
    public static IReadOnlyList<string> AllNames { get; } = [.. Names, InceptionNet.ModelName];

    /// <summary>A network by name (see <see cref="AllNames"/>), He-initialised, seeded by <c>torch.random.manual_seed</c>.</summary>
    /// <param name="name">One of <see cref="AllNames"/> (case-insensitive).</param>
    /// <param name="inputChannels">Image channels (1 for Fashion-MNIST, 3 for CIFAR-10).</param>
    /// <param name="classes">Number of classes.</param>
    /// <exception cref="ArgumentException">An unknown name (the message lists the valid ones).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A channel or class count below 1.</exception>
    public static nn.Module<Tensor, Tensor> Create(string name, int inputChannels, int classes)
    {
        ArgumentNullException.ThrowIfNull(name);
        ResNetLayers.Positive(inputChannels, nameof(inputChannels));
        ResNetLayers.Positive(classes, nameof(classes));
        var key = name.Trim().ToLowerInvariant();
        return key switch
        {
            "resnet18" => ResNetModel.ResNet18(inputChannels, classes),
            "resnet34" => ResNetModel.ResNet34(inputChannels, classes),
            "resnet50" => ResNetModel.ResNet50(inputChannels, classes),
            "resnet101" => ResNetModel.ResNet101(inputChannels, classes),
            "resnet152" => ResNetModel.ResNet152(inputChannels, classes),
            "cifar-resnet18" => ResNetModel.CifarResNet18(inputChannels, classes),
            InceptionNet.ModelName => new InceptionNet(inputChannels, classes),
            _ when Names.Contains(key) && key.StartsWith("resnet", StringComparison.Ordinal) =>
                new CifarResNet(int.Parse(key["resnet".Length..], System.Globalization.CultureInfo.InvariantCulture), inputChannels, classes),
            _ when Names.Contains(key) && key.StartsWith("plain", StringComparison.Ordinal) =>
                new CifarResNet(int.Parse(key["plain".Length..], System.Globalization.CultureInfo.InvariantCulture), inputChannels, classes, plain: true),
            _ => throw new ArgumentException($"Unknown chapter-4 model '{name}'; valid names are: {string.Join(", ", AllNames)}.", nameof(name)),
        };
    }

    /// <summary>
    /// A factory for <see cref="ExperimentOptions.ImageModel"/>: the named network sized for a data set's channels and
    /// classes, after checking that its images are large enough for the network's downsampling.
    /// </summary>
    /// <param name="name">One of <see cref="AllNames"/> (case-insensitive).</param>
    /// <exception cref="ArgumentException">An unknown name (thrown now, before any data is loaded).</exception>
    public static Func<ImageDataSet, nn.Module<Tensor, Tensor>> ForImages(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!AllNames.Contains(name.Trim().ToLowerInvariant()))
            throw new ArgumentException($"Unknown chapter-4 model '{name}'; valid names are: {string.Join(", ", AllNames)}.", nameof(name));
        return images =>
        {
            ArgumentNullException.ThrowIfNull(images);
            var model = Create(name, images.Channels, images.ClassNames.Count);
            var minimum = ((IImageNetwork)model).MinimumImageSize;
            if (Math.Min(images.Height, images.Width) >= minimum)
                return model;
            model.Dispose();
            throw new ArgumentException(
                $"The model '{name}' downsamples {minimum}× and needs images of at least {minimum}×{minimum} pixels, but {images.Name} has " +
                $"{images.Height}×{images.Width}. For small images choose a CIFAR-style network (cifar-resnet18, resnet20 … resnet110, plain20 … plain110) or inception.",
                nameof(images));
        };
    }

    /// <summary>The number of trainable values: Σ numel over the parameters (batch-norm running statistics are buffers, not counted).</summary>
    /// <param name="module">The model.</param>
    public static long CountParameters(nn.Module module) => ClassifierModels.CountParameters(module);
}
