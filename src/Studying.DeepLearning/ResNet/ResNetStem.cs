namespace Studying.DeepLearning.ResNet;

/// <summary>The first layers of a <see cref="ResNetModel"/>, before the residual stages.</summary>
public enum ResNetStem
{
    /// <summary>
    /// He et al.'s ImageNet stem: 7×7 convolution to 64 channels with stride 2, batch norm, ReLU, 3×3 max-pool with
    /// stride 2 — the image shrinks 4× before the first block and 32× overall.
    /// </summary>
    ImageNet,

    /// <summary>
    /// kuangliu/pytorch-cifar's stem for 32×32 images: 3×3 convolution to 64 channels with stride 1, batch norm, ReLU,
    /// no pooling — the image shrinks only 8× overall.
    /// </summary>
    Cifar,
}
