using TorchSharp.Modules;
using Studying.DeepLearning.Infrastructure;
using static TorchSharp.torch;

namespace Studying.DeepLearning.ResNet;

/// <summary>
/// The layers every residual network of this chapter is built from, and the checks its forward passes make before
/// any native call (a shape mismatch inside libtorch can abort the process).
/// </summary>
internal static class ResNetLayers
{
    /// <summary>A 3×3 convolution with padding 1 and no bias (the batch norm after it supplies the shift), He-initialised.</summary>
    public static Conv2d Conv3x3(int inChannels, int outChannels, int stride = 1) =>
        HeInitialised(nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false));

    /// <summary>A 1×1 convolution without bias, He-initialised.</summary>
    public static Conv2d Conv1x1(int inChannels, int outChannels, int stride = 1) =>
        HeInitialised(nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false));

    /// <summary>
    /// Kaiming-normal weights scaled by fan-out for a following ReLU, as He et al. (2015) and torchvision initialise
    /// residual networks' convolutions.
    /// </summary>
    public static Conv2d HeInitialised(Conv2d conv)
    {
        using (no_grad())
        {
            nn.init.kaiming_normal_(conv.weight!, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        }
        return conv;
    }

    /// <summary>Throws unless a size argument is at least one.</summary>
    public static void Positive(int value, string paramName)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(paramName, value, "Must be at least 1.");
    }

    /// <summary>Throws unless a stride is 1 or 2 (the only strides a residual stage uses).</summary>
    public static void Stride(int stride, string paramName)
    {
        if (stride is not (1 or 2))
            throw new ArgumentOutOfRangeException(paramName, stride, "A residual block's stride must be 1 or 2.");
    }

    /// <summary>
    /// Throws unless <paramref name="input"/> is an image batch [batch, <paramref name="channels"/>, H, W] with
    /// H, W ≥ <paramref name="minimumSize"/> in the element type and on the device of <paramref name="parameter"/>.
    /// </summary>
    /// <param name="input">The tensor passed to <c>forward</c>.</param>
    /// <param name="model">The model or block, for the message.</param>
    /// <param name="channels">The channels its first convolution takes.</param>
    /// <param name="minimumSize">The smallest height and width it accepts.</param>
    /// <param name="parameter">One of its parameters (element type and device).</param>
    /// <param name="why">Why images must be that large, for the message.</param>
    public static void RequireImages(Tensor input, string model, long channels, long minimumSize, Tensor parameter, string why)
    {
        ArgumentNullException.ThrowIfNull(input);
        var dtype = parameter.dtype;
        var expected = $"[batch, {channels}, height, width] with height and width ≥ {minimumSize}";
        if (input.dim() != 4)
            throw new ArgumentException($"{model} expects images {expected}, but got {input.dim()} dimension(s) {Shape(input)}.", nameof(input));
        if (input.shape[0] < 1)
            throw new ArgumentException($"{model} got an empty batch {Shape(input)}; at least one image is needed.", nameof(input));
        if (input.shape[1] != channels)
            throw new ArgumentException($"{model} expects images {expected}, but got {Shape(input)}: {input.shape[1]} channel(s), not {channels}.", nameof(input));
        if (input.shape[2] < minimumSize || input.shape[3] < minimumSize)
            throw new ArgumentException($"{model} expects images {expected}, but got {input.shape[2]}×{input.shape[3]} {Shape(input)}: {why}", nameof(input));
        if (input.dtype != dtype)
            throw new ArgumentException($"{model} has {dtype} parameters but got a {input.dtype} input {Shape(input)}; convert it with .to_type(ScalarType.{dtype}).", nameof(input));
        TensorArguments.SameDevice(input, parameter, model, nameof(input));
    }

    /// <summary>A shape as [a, b, c].</summary>
    public static string Shape(Tensor t) => $"[{string.Join(", ", t.shape)}]";
}
