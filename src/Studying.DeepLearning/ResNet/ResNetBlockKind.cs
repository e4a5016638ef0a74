namespace Studying.DeepLearning.ResNet;

/// <summary>Which residual block a <see cref="ResNetModel"/> stacks.</summary>
public enum ResNetBlockKind
{
    /// <summary><see cref="BasicBlock"/>: two 3×3 convolutions (ResNet-18/34).</summary>
    Basic,

    /// <summary><see cref="Bottleneck"/>: 1×1, 3×3, 1×1 with expansion 4 (ResNet-50/101/152).</summary>
    Bottleneck,
}
