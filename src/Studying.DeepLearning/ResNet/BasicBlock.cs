using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.ResNet;

/// <summary>
/// The residual block of ResNet-18/34 and of the CIFAR ResNets: <c>relu(bn(conv3×3(relu(bn(conv3×3(x))))) + shortcut(x))</c>.
/// The first convolution carries the stride; the shortcut is the identity when the shape is kept, otherwise as
/// <see cref="ResNetShortcut"/> says.
/// </summary>
/// <remarks>
/// Parameters: 9·in·out + 9·out·out (convolutions, no bias) + 4·out (two batch norms' weights and biases), plus
/// in·out + 2·out for a projection shortcut. Output channels = <see cref="OutChannels"/> (expansion 1).
/// </remarks>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    // The projection shortcut (1×1 convolution "0", batch norm "1") under the reference's name: torchvision's
    // "downsample" or kuangliu/pytorch-cifar's "shortcut"; at most one is set (RegisterComponents skips nulls).
    private readonly Sequential? downsample;
    private readonly Sequential? shortcut;
    private readonly long padBefore;
    private readonly long padAfter;

    /// <summary>Output channels per "planes" of a stage: 1 for this block.</summary>
    public const int Expansion = 1;

    /// <summary>Creates the block (convolutions He-initialised, batch norms at weight 1 and bias 0).</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels of the output.</param>
    /// <param name="stride">1, or 2 to halve height and width.</param>
    /// <param name="shortcut">How to match the shortcut to a changed shape.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size below 1, a stride other than 1 or 2, or a zero-padding shortcut that would have to drop channels.</exception>
    public BasicBlock(int inChannels, int outChannels, int stride = 1, ResNetShortcut shortcut = ResNetShortcut.Projection)
        : this(inChannels, outChannels, stride, shortcut, TorchVisionProjection) { }

    /// <summary>torchvision's name for the projection shortcut (<c>downsample.0.weight</c>, …).</summary>
    internal const string TorchVisionProjection = "downsample";

    /// <summary>kuangliu/pytorch-cifar's name for the projection shortcut (<c>shortcut.0.weight</c>, …).</summary>
    internal const string KuangliuProjection = "shortcut";

    /// <summary>The block with its projection shortcut registered as <paramref name="projectionName"/> (<see cref="TorchVisionProjection"/> or <see cref="KuangliuProjection"/>).</summary>
    internal BasicBlock(int inChannels, int outChannels, int stride, ResNetShortcut shortcut, string projectionName) : base(nameof(BasicBlock))
    {
        if (projectionName is not (TorchVisionProjection or KuangliuProjection))
            throw new ArgumentOutOfRangeException(nameof(projectionName), projectionName, $"The projection is named \"{TorchVisionProjection}\" or \"{KuangliuProjection}\".");
        ResNetLayers.Positive(inChannels, nameof(inChannels));
        ResNetLayers.Positive(outChannels, nameof(outChannels));
        ResNetLayers.Stride(stride, nameof(stride));
        if (!Enum.IsDefined(shortcut))
            throw new ArgumentOutOfRangeException(nameof(shortcut), shortcut, "Unknown shortcut kind.");
        if (shortcut == ResNetShortcut.ZeroPadding && outChannels < inChannels)
            throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, $"A zero-padding shortcut can only add channels, not go from {inChannels} down to {outChannels}.");
        TorchRuntime.EnsureLoaded();
        InChannels = inChannels;
        OutChannels = outChannels;
        Stride = stride;
        Shortcut = shortcut;

        conv1 = ResNetLayers.Conv3x3(inChannels, outChannels, stride);
        bn1 = nn.BatchNorm2d(outChannels);
        conv2 = ResNetLayers.Conv3x3(outChannels, outChannels);
        bn2 = nn.BatchNorm2d(outChannels);
        var reshapes = stride != 1 || inChannels != outChannels;
        if (reshapes && shortcut == ResNetShortcut.Projection)
        {
            var projection = nn.Sequential(ResNetLayers.Conv1x1(inChannels, outChannels, stride), nn.BatchNorm2d(outChannels));
            if (projectionName == TorchVisionProjection)
                downsample = projection;
            else
                this.shortcut = projection;
        }
        if (shortcut == ResNetShortcut.ZeroPadding)
        {
            padBefore = (outChannels - inChannels) / 2;
            padAfter = outChannels - inChannels - padBefore;
        }
        RegisterComponents();
    }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output.</summary>
    public int OutChannels { get; }

    /// <summary>1, or 2 when the block halves height and width.</summary>
    public int Stride { get; }

    /// <summary>How the shortcut matches a changed shape.</summary>
    public ResNetShortcut Shortcut { get; }

    /// <summary>Whether the shortcut is a learned 1×1 convolution + batch norm (rather than the identity or zero padding).</summary>
    public bool HasProjection => Projection is not null;

    private Sequential? Projection => downsample ?? shortcut;

    /// <summary>The block's output [batch, <see cref="OutChannels"/>, ⌈H/stride⌉, ⌈W/stride⌉] for input [batch, <see cref="InChannels"/>, H, W].</summary>
    /// <param name="input">A batch of feature maps in the parameters' element type.</param>
    /// <exception cref="ArgumentException">The input has another layout, channel count or element type (checked before any native call).</exception>
    public override Tensor forward(Tensor input)
    {
        ResNetLayers.RequireImages(input, nameof(BasicBlock), InChannels, 1, conv1.weight!.dtype, "a feature map needs at least one pixel.");
        using var scope = NewDisposeScope();
        var residual = bn2.call(conv2.call(nn.functional.relu(bn1.call(conv1.call(input)))));
        var carried = ShortcutOf(input);
        return nn.functional.relu(residual.add_(carried)).MoveToOuterDisposeScope();
    }

    private Tensor ShortcutOf(Tensor input)
    {
        if (Projection is { } projection)
            return projection.call(input);
        if (Shortcut == ResNetShortcut.Projection || (Stride == 1 && InChannels == OutChannels))
            return input.alias();
        var sampled = Stride == 1 ? input : input.slice(2, 0, input.shape[2], Stride).slice(3, 0, input.shape[3], Stride);
        return padBefore + padAfter == 0 ? sampled.alias() : nn.functional.pad(sampled, [0, 0, 0, 0, padBefore, padAfter]);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            bn1.Dispose();
            conv2.Dispose();
            bn2.Dispose();
            downsample?.Dispose();
            shortcut?.Dispose();
        }
        base.Dispose(disposing);
    }
}
