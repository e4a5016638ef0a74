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
            "resnet18" => ResNet18(classes, inputChannels),
            "resnet34" => ResNet34(classes, inputChannels),
            "resnet50" => ResNet50(classes, inputChannels),
            "resnet101" => ResNet101(classes, inputChannels),
            "resnet152" => ResNet152(classes, inputChannels),
            "cifar-resnet18" => CifarResNet18(classes, inputChannels),
            InceptionNet.ModelName => Inception(classes, inputChannels),
            _ when Names.Contains(key) && key.StartsWith("resnet", StringComparison.Ordinal) =>
                CifarResNet(int.Parse(key["resnet".Length..], System.Globalization.CultureInfo.InvariantCulture), classes, inputChannels),
            _ when Names.Contains(key) && key.StartsWith("plain", StringComparison.Ordinal) =>
                Plain(int.Parse(key["plain".Length..], System.Globalization.CultureInfo.InvariantCulture), classes, inputChannels),
            _ => throw new ArgumentException($"Unknown chapter-4 model '{name}'; valid names are: {string.Join(", ", AllNames)}.", nameof(name)),
        };
    }

    /// <summary>torchvision's ResNet-18 (state-dict keys as torchvision's <c>resnet18()</c>).</summary>
    /// <param name="classes">Number of classes.</param>
    /// <param name="inputChannels">Image channels.</param>
    public static ResNetModel ResNet18(int classes = 1000, int inputChannels = 3) => ResNetModel.ResNet18(inputChannels, classes);

    /// <summary>torchvision's ResNet-34 (state-dict keys as torchvision's <c>resnet34()</c>).</summary>
    /// <param name="classes">Number of classes.</param>
    /// <param name="inputChannels">Image channels.</param>
    public static ResNetModel ResNet34(int classes = 1000, int inputChannels = 3) => ResNetModel.ResNet34(inputChannels, classes);

    /// <summary>torchvision's ResNet-50 (state-dict keys as torchvision's <c>resnet50()</c>).</summary>
    /// <param name="classes">Number of classes.</param>
    /// <param name="inputChannels">Image channels.</param>
    public static ResNetModel ResNet50(int classes = 1000, int inputChannels = 3) => ResNetModel.ResNet50(inputChannels, classes);

    /// <summary>torchvision's ResNet-101 (state-dict keys as torchvision's <c>resnet101()</c>).</summary>
    /// <param name="classes">Number of classes.</param>
    /// <param name="inputChannels">Image channels.</param>
    public static ResNetModel ResNet101(int classes = 1000, int inputChannels = 3) => ResNetModel.ResNet101(inputChannels, classes);

    /// <summary>torchvision's ResNet-152 (state-dict keys as torchvision's <c>resnet152()</c>).</summary>
    /// <param name="classes">Number of classes.</param>
    /// <param name="inputChannels">Image channels.</param>
    public static ResNetModel ResNet152(int classes = 1000, int inputChannels = 3) => ResNetModel.ResNet152(inputChannels, classes);

    /// <summary>kuangliu/pytorch-cifar's ResNet18 (state-dict keys as its <c>ResNet18()</c>: <c>layer2.0.shortcut.0.weight</c>, <c>linear.weight</c>, …).</summary>
    /// <param name="classes">Number of classes.</param>
    /// <param name="inputChannels">Image channels.</param>
    public static ResNetModel CifarResNet18(int classes = 10, int inputChannels = 3) => ResNetModel.CifarResNet18(inputChannels, classes);

    /// <summary>He et al.'s CIFAR ResNet-20 (269,722 parameters for 3 channels and 10 classes).</summary>
    /// <param name="classes">Number of classes.</param>
    /// <param name="inputChannels">Image channels.</param>
    public static CifarResNet ResNet20(int classes = 10, int inputChannels = 3) => CifarResNet(20, classes, inputChannels);

    /// <summary>He et al.'s CIFAR ResNet-32 (464,154 parameters for 3 channels and 10 classes).</summary>
    /// <param name="classes">Number of classes.</param>
    /// <param name="inputChannels">Image channels.</param>
    public static CifarResNet ResNet32(int classes = 10, int inputChannels = 3) => CifarResNet(32, classes, inputChannels);

    /// <summary>He et al.'s CIFAR ResNet-44 (658,586 parameters for 3 channels and 10 classes).</summary>
    /// <param name="classes">Number of classes.</param>
    /// <param name="inputChannels">Image channels.</param>
    public static CifarResNet ResNet44(int classes = 10, int inputChannels = 3) => CifarResNet(44, classes, inputChannels);

    /// <summary>He et al.'s CIFAR ResNet-56 (853,018 parameters for 3 channels and 10 classes).</summary>
    /// <param name="classes">Number of classes.</param>
    /// <param name="inputChannels">Image channels.</param>
    public static CifarResNet ResNet56(int classes = 10, int inputChannels = 3) => CifarResNet(56, classes, inputChannels);

    /// <summary>He et al.'s CIFAR ResNet-110 (1,727,962 parameters for 3 channels and 10 classes).</summary>
    /// <param name="classes">Number of classes.</param>
    /// <param name="inputChannels">Image channels.</param>
    public static CifarResNet ResNet110(int classes = 10, int inputChannels = 3) => CifarResNet(110, classes, inputChannels);

    /// <summary>He et al.'s CIFAR ResNet of any depth 6n + 2 (8, 14, 20, …; state-dict keys as akamaster/pytorch_resnet_cifar10).</summary>
    /// <param name="depth">6n + 2 with n ≥ 1.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="inputChannels">Image channels.</param>
    /// <exception cref="ArgumentOutOfRangeException">A depth not of the form 6n + 2, or a channel or class count below 1.</exception>
    public static CifarResNet CifarResNet(int depth, int classes = 10, int inputChannels = 3) => new(depth, inputChannels, classes);

    /// <summary>The plain twin (no shortcuts, same parameters) of the CIFAR ResNet of depth 6n + 2.</summary>
    /// <param name="depth">6n + 2 with n ≥ 1.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="inputChannels">Image channels.</param>
    /// <exception cref="ArgumentOutOfRangeException">A depth not of the form 6n + 2, or a channel or class count below 1.</exception>
    public static CifarResNet Plain(int depth, int classes = 10, int inputChannels = 3) => new(depth, inputChannels, classes, plain: true);

    /// <summary>The chapter's small GoogLeNet-style <see cref="InceptionNet"/>.</summary>
    /// <param name="classes">Number of classes.</param>
    /// <param name="inputChannels">Image channels.</param>
    public static InceptionNet Inception(int classes = 10, int inputChannels = 3) => new(inputChannels, classes);

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
