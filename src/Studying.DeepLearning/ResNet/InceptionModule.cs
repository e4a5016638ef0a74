using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.ResNet;

/// <summary>
/// The Inception module of GoogLeNet (Szegedy et al. 2014, "Going deeper with convolutions", figure 2b): four branches
/// look at the same input with different receptive fields, and their outputs are concatenated along the channels.
/// <code>
///            ┌─ 1×1 conv (ch1x1) ──────────────────────────────┐
/// input ─────┼─ 1×1 conv (ch3x3red) → 3×3 conv (ch3x3) ─────────┼─ concatenate → [N, ch1x1 + ch3x3 + ch5x5 + poolProj, H, W]
/// [N, in,    ├─ 1×1 conv (ch5x5red) → 5×5 conv (ch5x5) ─────────┤
///  H, W]     └─ 3×3 max-pool (stride 1, pad 1) → 1×1 conv (poolProj) ┘
/// </code>
/// Every convolution is followed by batch norm and ReLU (conv → BN → ReLU, the convolution without bias since batch
/// norm's shift replaces it), as in the batch-normalised GoogLeNet (Ioffe and Szegedy 2015) and torchvision's
/// <c>BasicConv2d</c>. Paddings (1 for 3×3, 2 for 5×5) keep height and width, so the branches can be concatenated.
/// </summary>
/// <remarks>
/// <para>The 1×1 "reduce" convolutions are the point of the design: a 5×5 convolution from <c>in</c> to <c>ch5x5</c>
/// channels costs H·W·25·in·ch5x5 multiply-adds; reducing first to ch5x5red channels costs
/// H·W·(in·ch5x5red + 25·ch5x5red·ch5x5) — for in = 192, ch5x5red = 16, ch5x5 = 32 (GoogLeNet's inception 3a) that
/// is 15,872 instead of 153,600 per pixel, almost ten times less. Unlike torchvision's GoogLeNet, whose "5×5" branch
/// uses a 3×3 kernel (a known slip kept for its pretrained weights), this branch really is 5×5.</para>
/// <para>Parameters: in·ch1x1 + in·ch3x3red + 9·ch3x3red·ch3x3 + in·ch5x5red + 25·ch5x5red·ch5x5 + in·poolProj
/// (convolutions, no bias) + 2·(ch1x1 + ch3x3red + ch3x3 + ch5x5red + ch5x5 + poolProj) (batch-norm weights and
/// biases; running statistics are buffers).</para>
/// </remarks>
public sealed class InceptionModule : nn.Module<Tensor, Tensor>
{
    private readonly Sequential branch1;
    private readonly Sequential branch2;
    private readonly Sequential branch3;
    private readonly Sequential branch4;

    /// <summary>Creates the module (convolutions He-initialised, batch norms at weight 1 and bias 0), with torchvision's argument order.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="ch1x1">Output channels of the 1×1 branch.</param>
    /// <param name="ch3x3Reduce">Channels of the 1×1 reduction before the 3×3 convolution.</param>
    /// <param name="ch3x3">Output channels of the 3×3 branch.</param>
    /// <param name="ch5x5Reduce">Channels of the 1×1 reduction before the 5×5 convolution.</param>
    /// <param name="ch5x5">Output channels of the 5×5 branch.</param>
    /// <param name="poolProjection">Output channels of the 1×1 projection after the 3×3 max-pool.</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel count below 1.</exception>
    public InceptionModule(int inChannels, int ch1x1, int ch3x3Reduce, int ch3x3, int ch5x5Reduce, int ch5x5, int poolProjection)
        : base(nameof(InceptionModule))
    {
        ResNetLayers.Positive(inChannels, nameof(inChannels));
        ResNetLayers.Positive(ch1x1, nameof(ch1x1));
        ResNetLayers.Positive(ch3x3Reduce, nameof(ch3x3Reduce));
        ResNetLayers.Positive(ch3x3, nameof(ch3x3));
        ResNetLayers.Positive(ch5x5Reduce, nameof(ch5x5Reduce));
        ResNetLayers.Positive(ch5x5, nameof(ch5x5));
        ResNetLayers.Positive(poolProjection, nameof(poolProjection));
        TorchRuntime.EnsureLoaded();
        InChannels = inChannels;
        Ch1x1 = ch1x1;
        Ch3x3Reduce = ch3x3Reduce;
        Ch3x3 = ch3x3;
        Ch5x5Reduce = ch5x5Reduce;
        Ch5x5 = ch5x5;
        PoolProjection = poolProjection;

        branch1 = nn.Sequential(ConvBnRelu("conv", inChannels, ch1x1, 1));
        branch2 = nn.Sequential([.. ConvBnRelu("reduce", inChannels, ch3x3Reduce, 1), .. ConvBnRelu("conv", ch3x3Reduce, ch3x3, 3)]);
        branch3 = nn.Sequential([.. ConvBnRelu("reduce", inChannels, ch5x5Reduce, 1), .. ConvBnRelu("conv", ch5x5Reduce, ch5x5, 5)]);
        branch4 = nn.Sequential([("pool", nn.MaxPool2d(3, stride: 1, padding: 1)), .. ConvBnRelu("projection", inChannels, poolProjection, 1)]);
        RegisterComponents();
    }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>Output channels of the 1×1 branch (the first slice of the output's channels).</summary>
    public int Ch1x1 { get; }

    /// <summary>Channels of the 1×1 reduction in the 3×3 branch.</summary>
    public int Ch3x3Reduce { get; }

    /// <summary>Output channels of the 3×3 branch (the second slice).</summary>
    public int Ch3x3 { get; }

    /// <summary>Channels of the 1×1 reduction in the 5×5 branch.</summary>
    public int Ch5x5Reduce { get; }

    /// <summary>Output channels of the 5×5 branch (the third slice).</summary>
    public int Ch5x5 { get; }

    /// <summary>Output channels of the pooling branch's 1×1 projection (the last slice).</summary>
    public int PoolProjection { get; }

    /// <summary>Channels of the output: <see cref="Ch1x1"/> + <see cref="Ch3x3"/> + <see cref="Ch5x5"/> + <see cref="PoolProjection"/>.</summary>
    public int OutChannels => Ch1x1 + Ch3x3 + Ch5x5 + PoolProjection;

    /// <summary>
    /// The concatenated branches [batch, <see cref="OutChannels"/>, H, W] for input [batch, <see cref="InChannels"/>, H, W]
    /// (any H, W ≥ 1): channels 0 … <see cref="Ch1x1"/> − 1 come from the 1×1 branch, then the 3×3, 5×5 and pooling branches.
    /// </summary>
    /// <param name="input">A batch of feature maps in the parameters' element type.</param>
    /// <exception cref="ArgumentException">The input has another layout, channel count or element type (checked before any native call).</exception>
    public override Tensor forward(Tensor input)
    {
        ResNetLayers.RequireImages(input, nameof(InceptionModule), InChannels, 1, ((Conv2d)branch1[0]).weight!, "a feature map needs at least one pixel.");
        using var scope = NewDisposeScope();
        return cat([branch1.call(input), branch2.call(input), branch3.call(input), branch4.call(input)], 1).MoveToOuterDisposeScope();
    }

    // conv (k×k, padding k/2 keeps H and W, no bias) → batch norm → ReLU, named "<name>", "<name>_bn", "<name>_relu".
    private static (string, nn.Module<Tensor, Tensor>)[] ConvBnRelu(string name, int inChannels, int outChannels, int kernel) =>
    [
        (name, ResNetLayers.HeInitialised(nn.Conv2d(inChannels, outChannels, kernel, padding: kernel / 2, bias: false))),
        ($"{name}_bn", nn.BatchNorm2d(outChannels)),
        ($"{name}_relu", nn.ReLU()),
    ];

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            branch1.Dispose();
            branch2.Dispose();
            branch3.Dispose();
            branch4.Dispose();
        }
        base.Dispose(disposing);
    }
}
