using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.ResNet;

/// <summary>
/// The ResNet family of He et al. (2015) as torchvision builds it, returning LOGITS:
/// <code>
/// stem (<see cref="ResNetStem"/>)                         → 64 channels
/// stage 1: blocks × 64 planes, stride 1
/// stage 2: blocks × 128 planes, first block stride 2
/// stage 3: blocks × 256 planes, first block stride 2
/// stage 4: blocks × 512 planes, first block stride 2     → 512·expansion channels
/// global average pool → Linear(512·expansion, classes)
/// </code>
/// with projection shortcuts (1×1 convolution + batch norm) wherever a block changes the shape.
/// The state-dict keys are torchvision's (<c>conv1.weight</c>, <c>bn1.running_mean</c>, <c>layer2.0.downsample.0.weight</c>,
/// <c>fc.weight</c>, …), or kuangliu/pytorch-cifar's with the <see cref="ResNetStem.Cifar"/> stem
/// (<c>layer2.0.shortcut.0.weight</c>, <c>linear.weight</c>, …).
/// </summary>
/// <remarks>
/// Parameter counts at 3 input channels and 1000 classes equal torchvision's: ResNet-18 11,689,512;
/// ResNet-34 21,797,672; ResNet-50 25,557,032. Any input channel count and class count work; thanks to the global
/// average pool, so does any image at least <see cref="MinimumImageSize"/> pixels high and wide.
/// </remarks>
public sealed class ResNetModel : StagedNetwork
{
    private static readonly int[] StagePlanes = [64, 128, 256, 512];


    /// <summary>Creates a residual network (convolutions He-initialised, batch norms at weight 1 and bias 0, the classifier at TorchSharp's default).</summary>
    /// <param name="block">Which block the stages stack.</param>
    /// <param name="blocksPerStage">Blocks in each of the four stages, e.g. [2, 2, 2, 2] for ResNet-18.</param>
    /// <param name="inputChannels">Image channels.</param>
    /// <param name="classes">Number of classes (logits per image).</param>
    /// <param name="stem">The layers before the first stage.</param>
    /// <exception cref="ArgumentException">Not exactly four stages, or a stage without blocks.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A channel or class count below 1, or an unknown enum value.</exception>
    public ResNetModel(ResNetBlockKind block, IReadOnlyList<int> blocksPerStage, int inputChannels = 3, int classes = 1000, ResNetStem stem = ResNetStem.ImageNet)
        : base(nameof(ResNetModel))
    {
        ArgumentNullException.ThrowIfNull(blocksPerStage);
        if (!Enum.IsDefined(block))
            throw new ArgumentOutOfRangeException(nameof(block), block, "Unknown block kind.");
        if (!Enum.IsDefined(stem))
            throw new ArgumentOutOfRangeException(nameof(stem), stem, "Unknown stem.");
        if (blocksPerStage.Count != StagePlanes.Length)
            throw new ArgumentException($"A ResNet has {StagePlanes.Length} stages, but {blocksPerStage.Count} block counts were given.", nameof(blocksPerStage));
        for (var i = 0; i < blocksPerStage.Count; i++)
        {
            if (blocksPerStage[i] < 1)
                throw new ArgumentException($"Stage {i + 1} has {blocksPerStage[i]} blocks; every stage needs at least one.", nameof(blocksPerStage));
        }
        ResNetLayers.Positive(inputChannels, nameof(inputChannels));
        ResNetLayers.Positive(classes, nameof(classes));
        TorchRuntime.EnsureLoaded();
        Block = block;
        BlocksPerStage = [.. blocksPerStage];
        InputChannels = inputChannels;
        Classes = classes;
        Stem = stem;
        var expansion = block == ResNetBlockKind.Basic ? BasicBlock.Expansion : Bottleneck.Expansion;
        Depth = (block == ResNetBlockKind.Basic ? 2 : 3) * BlocksPerStage.Sum() + 2;
        MinimumImageSize = stem == ResNetStem.ImageNet ? 32 : 8;

        var stemConv = stem == ResNetStem.ImageNet
            ? ResNetLayers.HeInitialised(nn.Conv2d(inputChannels, 64, 7, stride: 2, padding: 3, bias: false))
            : ResNetLayers.Conv3x3(inputChannels, 64);
        var stemPool = stem == ResNetStem.ImageNet ? nn.MaxPool2d(3, stride: 2, padding: 1) : null;
        // torchvision calls the projection shortcut "downsample", kuangliu/pytorch-cifar "shortcut".
        var projectionName = stem == ResNetStem.ImageNet ? BasicBlock.TorchVisionProjection : BasicBlock.KuangliuProjection;

        var channels = 64;
        var stages = new List<Sequential>();
        for (var s = 0; s < StagePlanes.Length; s++)
        {
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (var b = 0; b < BlocksPerStage[s]; b++)
            {
                var stride = s > 0 && b == 0 ? 2 : 1;
                blocks.Add(block == ResNetBlockKind.Basic
                    ? new BasicBlock(channels, StagePlanes[s], stride, ResNetShortcut.Projection, projectionName)
                    : new Bottleneck(channels, StagePlanes[s], stride));
                channels = StagePlanes[s] * expansion;
            }
            stages.Add(nn.Sequential(blocks));
        }
        FeatureChannels = channels;
        SetLayers(stemConv, nn.BatchNorm2d(64), stemPool, stages, nn.Linear(channels, classes), stem == ResNetStem.ImageNet ? "fc" : "linear");
    }

    /// <summary>ResNet-18: <see cref="BasicBlock"/> × [2, 2, 2, 2], ImageNet stem.</summary>
    /// <param name="inputChannels">Image channels.</param>
    /// <param name="classes">Number of classes.</param>
    internal static ResNetModel ResNet18(int inputChannels = 3, int classes = 1000) => new(ResNetBlockKind.Basic, [2, 2, 2, 2], inputChannels, classes);

    /// <summary>ResNet-34: <see cref="BasicBlock"/> × [3, 4, 6, 3], ImageNet stem.</summary>
    /// <param name="inputChannels">Image channels.</param>
    /// <param name="classes">Number of classes.</param>
    internal static ResNetModel ResNet34(int inputChannels = 3, int classes = 1000) => new(ResNetBlockKind.Basic, [3, 4, 6, 3], inputChannels, classes);

    /// <summary>ResNet-50: <see cref="Bottleneck"/> × [3, 4, 6, 3], ImageNet stem.</summary>
    /// <param name="inputChannels">Image channels.</param>
    /// <param name="classes">Number of classes.</param>
    internal static ResNetModel ResNet50(int inputChannels = 3, int classes = 1000) => new(ResNetBlockKind.Bottleneck, [3, 4, 6, 3], inputChannels, classes);

    /// <summary>ResNet-101: <see cref="Bottleneck"/> × [3, 4, 23, 3], ImageNet stem.</summary>
    /// <param name="inputChannels">Image channels.</param>
    /// <param name="classes">Number of classes.</param>
    internal static ResNetModel ResNet101(int inputChannels = 3, int classes = 1000) => new(ResNetBlockKind.Bottleneck, [3, 4, 23, 3], inputChannels, classes);

    /// <summary>ResNet-152: <see cref="Bottleneck"/> × [3, 8, 36, 3], ImageNet stem.</summary>
    /// <param name="inputChannels">Image channels.</param>
    /// <param name="classes">Number of classes.</param>
    internal static ResNetModel ResNet152(int inputChannels = 3, int classes = 1000) => new(ResNetBlockKind.Bottleneck, [3, 8, 36, 3], inputChannels, classes);

    /// <summary>kuangliu/pytorch-cifar's ResNet18: <see cref="BasicBlock"/> × [2, 2, 2, 2] behind the 3×3 stride-1 <see cref="ResNetStem.Cifar"/> stem (11,173,962 parameters for 3 channels and 10 classes).</summary>
    /// <param name="inputChannels">Image channels.</param>
    /// <param name="classes">Number of classes.</param>
    internal static ResNetModel CifarResNet18(int inputChannels = 3, int classes = 10) => new(ResNetBlockKind.Basic, [2, 2, 2, 2], inputChannels, classes, ResNetStem.Cifar);

    /// <summary>Which block the stages stack.</summary>
    public ResNetBlockKind Block { get; }

    /// <summary>Blocks in each of the four stages.</summary>
    public IReadOnlyList<int> BlocksPerStage { get; }

    /// <summary>The layers before the first stage.</summary>
    public ResNetStem Stem { get; }

    /// <summary>Weighted layers on the longest path: the stem's convolution, the blocks' convolutions and the classifier (18 for ResNet-18).</summary>
    public override int Depth { get; }

    /// <summary>"ResNet-18" … "ResNet-152", or "CIFAR ResNet-18" with the <see cref="ResNetStem.Cifar"/> stem.</summary>
    public override string Name => Stem == ResNetStem.Cifar ? $"CIFAR ResNet-{Depth}" : $"ResNet-{Depth}";

    /// <summary>224 with the ImageNet stem, 32 with the CIFAR stem.</summary>
    public override int NaturalImageSize => Stem == ResNetStem.Cifar ? 32 : 224;

    /// <summary>Image channels the model takes.</summary>
    public override int InputChannels { get; }

    /// <summary>Number of classes (logits per image).</summary>
    public override int Classes { get; }

    /// <summary>Channels after the last stage, averaged into the classifier's input (512 or 2048).</summary>
    public int FeatureChannels { get; }

    /// <summary>
    /// The smallest height and width accepted: the total downsampling (32 with the ImageNet stem, 8 with the CIFAR
    /// stem), so that the last stage still sees at least one pixel of the image rather than only padding.
    /// </summary>
    public override int MinimumImageSize { get; }
}
