using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.ResNet;

/// <summary>
/// He et al.'s (2015, section 4.2) networks for 32×32 CIFAR images, returning LOGITS:
/// <code>
/// conv 3×3 C→16, batch norm, ReLU                              32×32
/// stage 1: n blocks, 16 channels                               32×32
/// stage 2: n blocks, 32 channels, first block stride 2         16×16
/// stage 3: n blocks, 64 channels, first block stride 2          8×8
/// global average pool → Linear(64, classes)
/// </code>
/// with depth 6n + 2 (20, 32, 44, 56, 110, …). The residual version uses <see cref="BasicBlock"/>s with option-A
/// shortcuts (<see cref="ResNetShortcut.ZeroPadding"/>: no parameters); the plain version the same layers as
/// <see cref="PlainBlock"/>s, so both have the same parameters. The state-dict keys are those of
/// akamaster/pytorch_resnet_cifar10 (<c>conv1.weight</c>, <c>bn1.*</c>, <c>layer1.0.conv1.weight</c>, …, <c>linear.*</c>).
/// </summary>
/// <remarks>
/// Parameters for 3 channels and 10 classes: ResNet-20 269,722; -32 464,154; -44 658,586; -56 853,018;
/// -110 1,727,962 (the paper's 0.27M, 0.46M, 0.66M, 0.85M, 1.7M).
/// </remarks>
public sealed class CifarResNet : StagedNetwork
{
    private static readonly int[] StageChannels = [16, 32, 64];


    /// <summary>Creates the network (convolutions He-initialised, batch norms at weight 1 and bias 0, the classifier at TorchSharp's default).</summary>
    /// <param name="depth">Weighted layers, 6n + 2 with n ≥ 1: 20, 32, 44, 56, 110, ….</param>
    /// <param name="inputChannels">Image channels.</param>
    /// <param name="classes">Number of classes (logits per image).</param>
    /// <param name="plain">True for the plain twin (no shortcuts).</param>
    /// <exception cref="ArgumentOutOfRangeException">A depth not of the form 6n + 2, or a channel or class count below 1.</exception>
    public CifarResNet(int depth, int inputChannels = 3, int classes = 10, bool plain = false) : base(nameof(CifarResNet))
    {
        if (depth < 8 || (depth - 2) % 6 != 0)
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "A CIFAR ResNet has depth 6n + 2 with n ≥ 1 blocks per stage: 8, 14, 20, 32, 44, 56, 110, ….");
        ResNetLayers.Positive(inputChannels, nameof(inputChannels));
        ResNetLayers.Positive(classes, nameof(classes));
        TorchRuntime.EnsureLoaded();
        Depth = depth;
        BlocksPerStage = (depth - 2) / 6;
        InputChannels = inputChannels;
        Classes = classes;
        Plain = plain;

        var channels = StageChannels[0];
        var stages = new List<Sequential>();
        for (var s = 0; s < StageChannels.Length; s++)
        {
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (var b = 0; b < BlocksPerStage; b++)
            {
                var stride = s > 0 && b == 0 ? 2 : 1;
                blocks.Add(plain
                    ? new PlainBlock(channels, StageChannels[s], stride)
                    : new BasicBlock(channels, StageChannels[s], stride, ResNetShortcut.ZeroPadding));
                channels = StageChannels[s];
            }
            stages.Add(nn.Sequential(blocks));
        }
        SetLayers(ResNetLayers.Conv3x3(inputChannels, StageChannels[0]), nn.BatchNorm2d(StageChannels[0]), null, stages, nn.Linear(channels, classes), "linear");
    }

    /// <summary>Weighted layers on the longest path: 6·<see cref="BlocksPerStage"/> + 2.</summary>
    public override int Depth { get; }

    /// <summary>Blocks in each of the three stages (n).</summary>
    public int BlocksPerStage { get; }

    /// <summary>Image channels the model takes.</summary>
    public override int InputChannels { get; }

    /// <summary>Number of classes (logits per image).</summary>
    public override int Classes { get; }

    /// <summary>True for the plain twin without shortcuts.</summary>
    public bool Plain { get; }

    /// <summary>4: the smallest height and width accepted, as the network halves the image twice.</summary>
    public override int MinimumImageSize => 4;

    /// <summary>32, the CIFAR image size.</summary>
    public override int NaturalImageSize => 32;

    /// <summary>"ResNet-20", "Plain-56", ….</summary>
    public override string Name => $"{(Plain ? "Plain" : "ResNet")}-{Depth}";
}
