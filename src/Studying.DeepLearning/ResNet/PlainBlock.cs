using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.ResNet;

/// <summary>
/// A <see cref="BasicBlock"/> without its shortcut: <c>relu(bn(conv3×3(relu(bn(conv3×3(x))))))</c>. He et al. (2015)
/// stack these into "plain" networks with exactly the layers (and, against option-A shortcuts, exactly the
/// parameters) of a residual one, to show that deeper plain networks train worse while residual ones train better.
/// </summary>
/// <remarks>Parameters: 9·in·out + 9·out·out (convolutions, no bias) + 4·out (two batch norms).</remarks>
public sealed class PlainBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;

    /// <summary>Creates the block (convolutions He-initialised, batch norms at weight 1 and bias 0).</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels of the output.</param>
    /// <param name="stride">1, or 2 to halve height and width.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size below 1 or a stride other than 1 or 2.</exception>
    public PlainBlock(int inChannels, int outChannels, int stride = 1) : base(nameof(PlainBlock))
    {
        ResNetLayers.Positive(inChannels, nameof(inChannels));
        ResNetLayers.Positive(outChannels, nameof(outChannels));
        ResNetLayers.Stride(stride, nameof(stride));
        TorchRuntime.EnsureLoaded();
        InChannels = inChannels;
        OutChannels = outChannels;
        Stride = stride;
        conv1 = ResNetLayers.Conv3x3(inChannels, outChannels, stride);
        bn1 = nn.BatchNorm2d(outChannels);
        conv2 = ResNetLayers.Conv3x3(outChannels, outChannels);
        bn2 = nn.BatchNorm2d(outChannels);
        RegisterComponents();
    }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output.</summary>
    public int OutChannels { get; }

    /// <summary>1, or 2 when the block halves height and width.</summary>
    public int Stride { get; }

    /// <summary>The block's output [batch, <see cref="OutChannels"/>, ⌈H/stride⌉, ⌈W/stride⌉] for input [batch, <see cref="InChannels"/>, H, W].</summary>
    /// <param name="input">A batch of feature maps in the parameters' element type.</param>
    /// <exception cref="ArgumentException">The input has another layout, channel count or element type (checked before any native call).</exception>
    public override Tensor forward(Tensor input)
    {
        ResNetLayers.RequireImages(input, nameof(PlainBlock), InChannels, 1, conv1.weight!, "a feature map needs at least one pixel.");
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(bn1.call(conv1.call(input)));
        return nn.functional.relu(bn2.call(conv2.call(x))).MoveToOuterDisposeScope();
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
        }
        base.Dispose(disposing);
    }
}
