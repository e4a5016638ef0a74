using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.ResNet;

/// <summary>
/// The residual block of ResNet-50/101/152: 1×1 (reduce to <see cref="Planes"/>) → 3×3 (with the stride, as in
/// torchvision's "ResNet v1.5") → 1×1 (expand to 4·planes), each followed by batch norm, ReLU after the first two and
/// after the sum with the shortcut. The shortcut is the identity, or a 1×1 convolution + batch norm (projection)
/// when the stride or the channel count changes.
/// </summary>
/// <remarks>
/// Parameters: in·p + 9·p·p + p·4p (convolutions, no bias) + 2·(p + p + 4p) (batch norms), plus in·4p + 2·4p for a
/// projection shortcut, where p = planes.
/// </remarks>
public sealed class Bottleneck : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly Sequential? downsample; // torchvision's name: 1×1 convolution "0", batch norm "1"

    /// <summary>Output channels per "planes": 4.</summary>
    public const int Expansion = 4;

    /// <summary>Creates the block (convolutions He-initialised, batch norms at weight 1 and bias 0).</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="planes">Channels inside the block; the output has <see cref="Expansion"/>·planes.</param>
    /// <param name="stride">1, or 2 to halve height and width.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size below 1 or a stride other than 1 or 2.</exception>
    public Bottleneck(int inChannels, int planes, int stride = 1) : base(nameof(Bottleneck))
    {
        ResNetLayers.Positive(inChannels, nameof(inChannels));
        ResNetLayers.Positive(planes, nameof(planes));
        ResNetLayers.Stride(stride, nameof(stride));
        TorchRuntime.EnsureLoaded();
        InChannels = inChannels;
        Planes = planes;
        OutChannels = checked(planes * Expansion);
        Stride = stride;

        conv1 = ResNetLayers.Conv1x1(inChannels, planes);
        bn1 = nn.BatchNorm2d(planes);
        conv2 = ResNetLayers.Conv3x3(planes, planes, stride);
        bn2 = nn.BatchNorm2d(planes);
        conv3 = ResNetLayers.Conv1x1(planes, OutChannels);
        bn3 = nn.BatchNorm2d(OutChannels);
        if (stride != 1 || inChannels != OutChannels)
            downsample = nn.Sequential(ResNetLayers.Conv1x1(inChannels, OutChannels, stride), nn.BatchNorm2d(OutChannels));
        RegisterComponents();
    }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>Channels inside the block (of the 3×3 convolution).</summary>
    public int Planes { get; }

    /// <summary>Channels of the output: <see cref="Expansion"/>·<see cref="Planes"/>.</summary>
    public int OutChannels { get; }

    /// <summary>1, or 2 when the block halves height and width.</summary>
    public int Stride { get; }

    /// <summary>Whether the shortcut is a learned 1×1 convolution + batch norm rather than the identity.</summary>
    public bool HasProjection => downsample is not null;

    /// <summary>The block's output [batch, <see cref="OutChannels"/>, ⌈H/stride⌉, ⌈W/stride⌉] for input [batch, <see cref="InChannels"/>, H, W].</summary>
    /// <param name="input">A batch of feature maps in the parameters' element type.</param>
    /// <exception cref="ArgumentException">The input has another layout, channel count or element type (checked before any native call).</exception>
    public override Tensor forward(Tensor input)
    {
        ResNetLayers.RequireImages(input, nameof(Bottleneck), InChannels, 1, conv1.weight!.dtype, "a feature map needs at least one pixel.");
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(bn1.call(conv1.call(input)));
        x = nn.functional.relu(bn2.call(conv2.call(x)));
        x = bn3.call(conv3.call(x));
        var carried = downsample is null ? input : downsample.call(input);
        return nn.functional.relu(x.add_(carried)).MoveToOuterDisposeScope();
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
            conv3.Dispose();
            bn3.Dispose();
            downsample?.Dispose();
        }
        base.Dispose(disposing);
    }
}
