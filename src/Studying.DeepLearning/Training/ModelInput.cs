using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Training;

/// <summary>
/// Checks a model's input in C# before any native call: a shape mismatch inside libtorch's matmul or convolution
/// can abort the whole process, so every model of this chapter validates first and throws a clear ArgumentException.
/// </summary>
internal static class ModelInput
{
    /// <summary>Throws unless the input is [batch, …] with the given trailing dimensions, the model's element type and device.</summary>
    /// <param name="input">The tensor passed to <c>forward</c>.</param>
    /// <param name="model">The model's name, for the message.</param>
    /// <param name="layout">What the dimensions mean, e.g. "batch, channels, height, width".</param>
    /// <param name="parameter">A parameter of the model: the input must have its element type and device.</param>
    /// <param name="trailing">The expected sizes after the batch dimension.</param>
    public static void Require(Tensor input, string model, string layout, Tensor parameter, params long[] trailing)
    {
        ArgumentNullException.ThrowIfNull(input);
        var dtype = parameter.dtype;
        var expected = $"[batch, {string.Join(", ", trailing)}] ({layout})";
        if (input.dim() != trailing.Length + 1)
            throw new ArgumentException($"{model} expects input {expected}, but got {input.dim()} dimension(s) {Shape(input)}.", nameof(input));
        if (input.shape[0] < 1)
            throw new ArgumentException($"{model} got an empty batch {Shape(input)}; at least one sample is needed.", nameof(input));
        for (var i = 0; i < trailing.Length; i++)
        {
            if (input.shape[i + 1] != trailing[i])
                throw new ArgumentException($"{model} expects input {expected}, but got {Shape(input)}: dimension {i + 1} ({layout.Split(", ")[Math.Min(i + 1, layout.Split(", ").Length - 1)]}) is {input.shape[i + 1]}, not {trailing[i]}.", nameof(input));
        }
        if (input.dtype != dtype)
            throw new ArgumentException($"{model} has {dtype} parameters but got a {input.dtype} input {Shape(input)}; convert it with .to_type(ScalarType.{dtype}).", nameof(input));
        TensorArguments.SameDevice(input, parameter, model, nameof(input));
    }

    /// <summary>Throws unless the input is [batch, …] whose trailing dimensions hold exactly <paramref name="features"/> values, on the model's device.</summary>
    /// <param name="input">The tensor passed to <c>forward</c>.</param>
    /// <param name="model">The model's name, for the message.</param>
    /// <param name="parameter">A parameter of the model: the input must have its element type and device.</param>
    /// <param name="features">The number of values per sample the first layer takes.</param>
    public static void RequireFlattenable(Tensor input, string model, Tensor parameter, long features)
    {
        ArgumentNullException.ThrowIfNull(input);
        var dtype = parameter.dtype;
        if (input.dim() < 2 || input.shape[0] < 1)
            throw new ArgumentException($"{model} expects input [batch, …] with {features} values per sample, but got {Shape(input)}.", nameof(input));
        var perSample = input.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        if (perSample != features)
            throw new ArgumentException($"{model} expects {features} values per sample, but input {Shape(input)} has {perSample} ({string.Join("×", input.shape.Skip(1))}).", nameof(input));
        if (input.dtype != dtype)
            throw new ArgumentException($"{model} has {dtype} parameters but got a {input.dtype} input {Shape(input)}; convert it with .to_type(ScalarType.{dtype}).", nameof(input));
        TensorArguments.SameDevice(input, parameter, model, nameof(input));
    }

    /// <summary>A shape as [a, b, c].</summary>
    public static string Shape(Tensor t) => $"[{string.Join(", ", t.shape)}]";

    /// <summary>Throws unless a size argument is at least one.</summary>
    public static void Positive(int value, string paramName)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(paramName, value, "Must be at least 1.");
    }

    /// <summary>Throws unless a dropout probability is in [0, 1).</summary>
    public static void DropoutProbability(double p, string paramName)
    {
        if (!(p >= 0 && p < 1))
            throw new ArgumentOutOfRangeException(paramName, p, "A dropout probability must be in [0, 1).");
    }
}
