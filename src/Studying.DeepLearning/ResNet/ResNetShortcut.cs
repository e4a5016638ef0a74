namespace Studying.DeepLearning.ResNet;

/// <summary>How a <see cref="BasicBlock"/> carries its input past the two convolutions when the shape changes.</summary>
public enum ResNetShortcut
{
    /// <summary>
    /// He et al.'s option B (torchvision, kuangliu): identity when the shape is kept, otherwise a 1×1 convolution with
    /// the block's stride followed by batch norm (learned parameters).
    /// </summary>
    Projection,

    /// <summary>
    /// He et al.'s option A (their CIFAR networks): identity when the shape is kept, otherwise every second pixel
    /// (<c>x[:, :, ::2, ::2]</c>) with the extra channels filled with zeros, half before and half after — no parameters.
    /// </summary>
    ZeroPadding,
}
