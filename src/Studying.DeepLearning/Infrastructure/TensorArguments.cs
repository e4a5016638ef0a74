using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Infrastructure;

/// <summary>
/// Checks of caller-shaped tensors and of the input a known TorchSharp layer will receive, made on metadata in C#
/// before any native call: libtorch reports a mismatch as a bare native message with no layer or parameter named
/// (and some of its kernels abort the process), so the library says what is wrong first.
/// </summary>
internal static class TensorArguments
{
    /// <summary>A shape as [a, b, c].</summary>
    public static string Shape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>Throws unless <paramref name="input"/> lives on the same device as <paramref name="parameter"/>.</summary>
    /// <param name="input">The caller's tensor.</param>
    /// <param name="parameter">A parameter (or buffer) of the model that will receive it.</param>
    /// <param name="model">The model's name, for the message.</param>
    /// <param name="paramName">The argument's name.</param>
    public static void SameDevice(Tensor input, Tensor parameter, string model, string paramName)
    {
        if (input.device_type != parameter.device_type || input.device_index != parameter.device_index)
            throw new ArgumentException($"{model}'s parameters are on {parameter.device} but the input {Shape(input.shape)} is on {input.device}; move one to the other's device with .to(...).", paramName);
    }

    /// <summary>
    /// Throws unless <paramref name="logits"/> are floating-point [batch, classes] and <paramref name="targets"/> are
    /// int64 class indices [batch] on the same device; with <paramref name="checkTargetRange"/>, also that every target
    /// lies in [0, classes) (one small reduction, read back).
    /// </summary>
    /// <param name="logits">The model's output.</param>
    /// <param name="targets">The class indices.</param>
    /// <param name="classes">The number of classes the data has, or <see langword="null"/> to take the logits' width.</param>
    /// <param name="checkTargetRange">Whether to read the targets' minimum and maximum.</param>
    /// <param name="where">What produced the logits, for the message (e.g. "the model's output for batch 3").</param>
    /// <param name="logitsName">The logits' argument name.</param>
    /// <param name="targetsName">The targets' argument name.</param>
    public static void Classification(Tensor logits, Tensor targets, long? classes, bool checkTargetRange, string where, string logitsName, string targetsName)
    {
        ArgumentNullException.ThrowIfNull(logits, logitsName);
        ArgumentNullException.ThrowIfNull(targets, targetsName);
        var width = classes ?? (logits.dim() == 2 ? logits.shape[1] : -1);
        if (targets.dim() != 1)
            throw new ArgumentException($"The targets must be one class index per sample, shape [batch]; got {Shape(targets.shape)}.", targetsName);
        if (targets.dtype != ScalarType.Int64)
            throw new ArgumentException($"The targets must be int64 class indices; got {targets.dtype} {Shape(targets.shape)}.", targetsName);
        var batch = targets.shape[0];
        if (logits.dim() != 2 || logits.shape[0] != batch || (classes is not null && logits.shape[1] != classes))
            throw new ArgumentException($"{where} has shape {Shape(logits.shape)}, but logits [{batch}, {(classes is null ? "classes" : classes)}] were expected: one row per target and one column per class.", logitsName);
        if (!logits.is_floating_point())
            throw new ArgumentException($"{where} is {logits.dtype} {Shape(logits.shape)}; logits must be floating point.", logitsName);
        if (logits.device_type != targets.device_type || logits.device_index != targets.device_index)
            throw new ArgumentException($"{where} is on {logits.device} but the targets are on {targets.device}; both must be on one device.", targetsName);
        if (!checkTargetRange || batch == 0)
            return;
        using var scope = NewDisposeScope();
        var min = targets.min().item<long>();
        var max = targets.max().item<long>();
        if (min < 0 || max >= width)
            throw new ArgumentException($"The targets hold class index {(min < 0 ? min : max)}, but there are {width} classes (0–{width - 1}).", targetsName);
    }

    /// <summary>
    /// What would be wrong with giving a known layer (Linear, Conv1d/2d, BatchNorm1d/2d/3d) an input of
    /// <paramref name="shape"/>, <paramref name="dtype"/> and <paramref name="device"/>, or <see langword="null"/>
    /// when it fits or the layer type is not one of those.
    /// </summary>
    public static string? LayerProblem(nn.Module layer, long[] shape, ScalarType dtype, Device device)
    {
        var problem = layer switch
        {
            Linear linear => shape.Length < 1 || shape[^1] != linear.in_features
                ? $"Linear({linear.in_features} → {linear.out_features}) takes inputs whose last dimension is {linear.in_features} (in_features), but got {Shape(shape)}"
                : null,
            Conv2d conv => Convolution(conv, shape, 2),
            Conv1d conv => Convolution(conv, shape, 1),
            BatchNorm1d bn => (shape.Length is 2 or 3) && shape[1] == bn.num_features ? null
                : $"BatchNorm1d({bn.num_features}) takes [batch, {bn.num_features}] or [batch, {bn.num_features}, length], but got {Shape(shape)}",
            BatchNorm2d bn => shape.Length == 4 && shape[1] == bn.num_features ? null
                : $"BatchNorm2d({bn.num_features}) takes [batch, {bn.num_features}, height, width], but got {Shape(shape)}",
            BatchNorm3d bn => shape.Length == 5 && shape[1] == bn.num_features ? null
                : $"BatchNorm3d({bn.num_features}) takes [batch, {bn.num_features}, depth, height, width], but got {Shape(shape)}",
            _ => null,
        };
        if (problem is not null || layer is not (Linear or Conv2d or Conv1d or BatchNorm1d or BatchNorm2d or BatchNorm3d))
            return problem;
        var own = layer.parameters(recurse: false).Cast<Tensor>().Concat(layer.buffers(recurse: false)).FirstOrDefault(t => t.is_floating_point());
        if (own is null)
            return null;
        if (own.dtype != dtype)
            return $"{layer.GetType().Name} has {own.dtype} parameters but the input {Shape(shape)} is {dtype}";
        if (own.device_type != device.type || own.device_index != device.index)
            return $"{layer.GetType().Name}'s parameters are on {own.device} but the input {Shape(shape)} is on {device}";
        return null;
    }

    private static string? Convolution(Convolution conv, long[] shape, int spatial)
    {
        var name = $"Conv{spatial}d({conv.in_channels} → {conv.out_channels})";
        var layout = spatial == 2 ? "height, width" : "length";
        if (shape.Length != spatial + 1 && shape.Length != spatial + 2)
            return $"{name} takes [batch, {conv.in_channels}, {layout}] (or unbatched [{conv.in_channels}, {layout}]), but got {shape.Length} dimension(s) {Shape(shape)}";
        var channels = shape[^(spatial + 1)];
        if (channels != conv.in_channels)
            return $"{name} takes {conv.in_channels} input channels (dimension {shape.Length - spatial - 1}), but got {channels} in {Shape(shape)}";
        if (conv.padding_type is not null)
            return null;
        for (var i = 0; i < spatial; i++)
        {
            var size = shape[shape.Length - spatial + i];
            var padded = size + 2 * At(conv.padding, i, 0);
            var reach = At(conv.dilation, i, 1) * (At(conv.kernel_size, i, 1) - 1) + 1;
            if (padded < reach)
                return $"{name}'s kernel spans {reach} positions but spatial dimension {shape.Length - spatial + i} of {Shape(shape)} is {size} (padded {padded}); give it a larger input";
        }
        return null;
    }

    private static long At(long[]? values, int i, long fallback) =>
        values is null || values.Length == 0 ? fallback : values[Math.Min(i, values.Length - 1)];
}
