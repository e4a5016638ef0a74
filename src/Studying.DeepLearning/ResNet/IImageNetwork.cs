using static TorchSharp.torch;

namespace Studying.DeepLearning.ResNet;

/// <summary>
/// What every whole image network of this chapter tells about itself: the residual networks
/// (<see cref="IResidualNetwork"/>) and <see cref="InceptionNet"/>. <see cref="ResNetModels.ForImages"/> uses it to check
/// that a data set's images are large enough before training.
/// </summary>
public interface IImageNetwork
{
    /// <summary>A display name such as "ResNet-18", "ResNet-56", "Plain-20" or "InceptionNet".</summary>
    string Name { get; }

    /// <summary>Weighted layers on the longest path (convolutions and the classifier).</summary>
    int Depth { get; }

    /// <summary>Image channels the network takes.</summary>
    int InputChannels { get; }

    /// <summary>Number of classes (logits per image).</summary>
    int Classes { get; }

    /// <summary>The smallest height and width <c>forward</c> accepts: the network's total downsampling.</summary>
    int MinimumImageSize { get; }

    /// <summary>The image size the network was designed for: 224 (ImageNet), 32 (CIFAR) or 28 (Fashion-MNIST).</summary>
    int NaturalImageSize { get; }

    /// <summary>
    /// The feature maps after the stem and after each stage, [batch, channels, height, width] each, for images
    /// checked as <c>forward</c> checks them. The caller owns (and disposes) the returned tensors.
    /// </summary>
    /// <param name="input">The images.</param>
    /// <exception cref="ArgumentException">The input has another layout, channel count or element type, or is too small.</exception>
    IReadOnlyList<Tensor> FeatureMaps(Tensor input);
}
