using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.ResNet;

/// <summary>One leaf layer of a <see cref="ModelSummary"/>.</summary>
/// <param name="Name">The layer's path in the model, e.g. "layer1.0.conv1".</param>
/// <param name="Type">The layer's class name, e.g. "Conv2d".</param>
/// <param name="InputShape">The shape the layer received (batch 1).</param>
/// <param name="OutputShape">The shape it produced (batch 1).</param>
/// <param name="Parameters">Σ numel of the layer's own parameters.</param>
/// <param name="MultiplyAdds">
/// Multiply-accumulates for one image: out_h·out_w·out_c·in_c/groups·k_h·k_w for a convolution, in·out for a linear
/// layer, 0 for everything else (batch norm, activations, pooling).
/// </param>
public sealed record ModelSummaryRow(string Name, string Type, IReadOnlyList<long> InputShape, IReadOnlyList<long> OutputShape, long Parameters, long MultiplyAdds);

/// <summary>
/// A layer-by-layer summary of a model (as torchinfo or d2l's layer summary print): one row per leaf layer with its
/// output shape, parameters and multiply-adds for one image, and the totals.
/// </summary>
/// <param name="InputShape">The input shape summarised (batch 1).</param>
/// <param name="Rows">One row per leaf layer, in the order the model registers them (its execution order for the chapter's networks).</param>
public sealed record ModelSummary(IReadOnlyList<long> InputShape, IReadOnlyList<ModelSummaryRow> Rows)
{
    /// <summary>Σ parameters over the rows.</summary>
    public long TotalParameters => Rows.Sum(r => r.Parameters);

    /// <summary>Σ multiply-adds over the rows, for one image.</summary>
    public long TotalMultiplyAdds => Rows.Sum(r => r.MultiplyAdds);

    /// <summary>The most dimensions <see cref="Of"/> accepts in an input shape (without the batch): 4, as for a 3-D convolution's [channels, depth, height, width].</summary>
    public const int MaxInputRank = 4;

    /// <summary>
    /// The most elements <see cref="Of"/> accepts in one input (without the batch): 2²⁶ = 67,108,864, 256 MiB of float32
    /// zeros before any activation — far above any image network's input (ImageNet's 3×224×224 is 150,528).
    /// </summary>
    public const long MaxInputElements = 1L << 26;

    /// <summary>
    /// Summarises a model by one forward pass of zeros (batch 1, no gradients, evaluation mode, the model's mode restored
    /// afterwards), in the element type and on the device of the model's first floating-point parameter. Shapes come
    /// from forward hooks where the model runs a layer through <c>call</c> (as <c>Sequential</c> does). A layer run
    /// through <c>forward</c> directly (hooks do not fire there) is replayed on zeros of the shape its parent's previous
    /// layer produced — or of its parent's input when its channels only fit that (a shortcut branch) — and a linear
    /// layer after a 4-D map takes the pooled [batch, channels]. Before a Linear, Conv1d/2d or BatchNorm1d/2d/3d layer
    /// runs, its input's shape, element type and device are checked in C#; any other layer that rejects its input is
    /// named in the exception together with libtorch's reason.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="inputShape">The input shape WITHOUT the batch dimension, e.g. [3, 224, 224].</param>
    /// <exception cref="ArgumentException">
    /// An empty shape, a size below 1, more than <see cref="MaxInputRank"/> dimensions or more than
    /// <see cref="MaxInputElements"/> elements; a layer whose input does not fit it (the message names the layer, what it
    /// takes and what it got); or a layer whose input cannot be inferred.
    /// </exception>
    public static ModelSummary Of(nn.Module<Tensor, Tensor> model, long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        RequireSaneShape(inputShape);
        TorchRuntime.EnsureLoaded();
        long[] shape = [1, .. inputShape];
        var reference = model.parameters().FirstOrDefault(p => p.is_floating_point());
        var dtype = reference?.dtype ?? ScalarType.Float32;
        var device = reference?.device ?? CPU;

        var observed = new Dictionary<nn.Module, (long[] In, long[] Out)>(ReferenceEqualityComparer.Instance);
        var running = new Stack<(string Path, nn.Module Module)>();
        var removers = new List<Action>();
        foreach (var (name, module) in model.named_modules().Prepend(("", model)))
        {
            if (module is nn.Module<Tensor, Tensor> m)
            {
                var path = name;
                removers.Add(m.register_forward_pre_hook((self, input) =>
                {
                    if (TensorArguments.LayerProblem(self, input.shape, input.dtype, input.device) is { } problem)
                        throw new ArgumentException($"{Describe(path, self)} cannot take its input: {problem}.", nameof(inputShape));
                    running.Push((path, self));
                    return input;
                }).remove);
                removers.Add(m.register_forward_hook((self, input, output) =>
                {
                    observed.TryAdd(self, (input.shape, output.shape));
                    if (running.Count > 0)
                        running.Pop();
                    return output;
                }).remove);
            }
        }
        var wasTraining = model.training;
        try
        {
            model.eval();
            using (no_grad())
            using (NewDisposeScope())
            {
                try
                {
                    model.call(zeros(shape, dtype: dtype, device: device));
                }
                catch (ExternalException e)
                {
                    var (path, layer) = running.Count > 0 ? running.Peek() : ("", model);
                    throw new ArgumentException($"{Describe(path, layer)} rejected its input on the way from the model's input {TensorArguments.Shape(shape)}: {FirstLine(e.Message)}", nameof(inputShape), e);
                }
            }
            var rows = new List<ModelSummaryRow>();
            Walk(model, "", shape, observed, rows, dtype, device);
            return new ModelSummary(inputShape, rows);
        }
        finally
        {
            foreach (var remove in removers)
                remove();
            if (wasTraining)
                model.train();
        }
    }

    private static void RequireSaneShape(long[] inputShape)
    {
        if (inputShape.Length == 0 || inputShape.Any(s => s < 1))
            throw new ArgumentException($"The input shape (without batch) must be non-empty with every size ≥ 1; got {TensorArguments.Shape(inputShape)}.", nameof(inputShape));
        if (inputShape.Length > MaxInputRank)
            throw new ArgumentException($"The input shape (without batch) {TensorArguments.Shape(inputShape)} has {inputShape.Length} dimensions; at most {MaxInputRank} are summarised (e.g. [channels, height, width]).", nameof(inputShape));
        long elements = 1;
        foreach (var size in inputShape)
        {
            if (size > MaxInputElements / elements)
                throw new ArgumentException($"The input shape (without batch) {TensorArguments.Shape(inputShape)} has more than {MaxInputElements:N0} elements (ModelSummary.MaxInputElements); summarise a smaller input — parameters do not depend on it and multiply-adds scale with the area.", nameof(inputShape));
            elements *= size;
        }
    }

    private static string Describe(string path, nn.Module layer) =>
        path.Length == 0 ? $"The model ({layer.GetType().Name})" : $"Layer '{path}' ({layer.GetType().Name})";

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.EndsWith('.') ? line : line + ".";
    }

    private static long[] Walk(nn.Module module, string path, long[] input, Dictionary<nn.Module, (long[] In, long[] Out)> observed, List<ModelSummaryRow> rows,
        ScalarType dtype, Device device)
    {
        var children = module.named_children().ToList();
        if (children.Count == 0)
        {
            var (inShape, outShape) = observed.TryGetValue(module, out var seen) ? seen : Replay(module, path, input, dtype, device);
            rows.Add(new ModelSummaryRow(path, module.GetType().Name, inShape, outShape,
                module.parameters().Sum(p => p.numel()), MultiplyAdds(module, inShape, outShape)));
            return outShape;
        }
        var moduleInput = observed.TryGetValue(module, out var own) ? own.In : input;
        var current = moduleInput;
        foreach (var (name, child) in children)
        {
            var childPath = path.Length == 0 ? name : $"{path}.{name}";
            var childInput = observed.TryGetValue(child, out var c) ? c.In : BranchInput(child, current, moduleInput);
            current = Walk(child, childPath, childInput, observed, rows, dtype, device);
        }
        return observed.TryGetValue(module, out var o) ? o.Out : current;
    }

    private static long[] BranchInput(nn.Module child, long[] current, long[] moduleInput)
    {
        var first = child.named_children().Any() ? child.modules().FirstOrDefault(m => !m.named_children().Any()) : child;
        return first is Conv2d conv && current.Length == 4 && current[1] != conv.in_channels && moduleInput.Length == 4 && moduleInput[1] == conv.in_channels
            ? moduleInput
            : current;
    }

    private static (long[] In, long[] Out) Replay(nn.Module module, string path, long[] input, ScalarType dtype, Device device)
    {
        if (module is Linear linear && input[^1] != linear.in_features)
        {
            if (input.Length >= 2 && input[1] == linear.in_features)
                input = [input[0], linear.in_features];
            else
                throw new ArgumentException($"Cannot infer the input of linear layer '{path}' ({linear.in_features} features) from the shape [{string.Join(", ", input)}] before it.");
        }
        if (TensorArguments.LayerProblem(module, input, dtype, device) is { } problem)
            throw new ArgumentException($"Cannot infer the input of layer '{path}' ({module.GetType().Name}) from the shape {TensorArguments.Shape(input)} before it: {problem}.");
        if (module is not nn.Module<Tensor, Tensor> runnable)
            return (input, input);
        using (no_grad())
        using (NewDisposeScope())
        {
            try
            {
                return (input, runnable.forward(zeros(input, dtype: dtype, device: device)).shape);
            }
            catch (ExternalException e)
            {
                throw new ArgumentException($"Cannot replay layer '{path}' ({module.GetType().Name}) on the shape {TensorArguments.Shape(input)} before it: {FirstLine(e.Message)}", e);
            }
        }
    }

    private static long MultiplyAdds(nn.Module module, long[] input, long[] output) => module switch
    {
        Conv2d conv => output[2] * output[3] * conv.out_channels * (conv.in_channels / conv.groups) * conv.kernel_size[0] * conv.kernel_size[1],
        Linear linear => input.Take(input.Length - 1).Aggregate(1L, (a, b) => a * b) / input[0] * linear.in_features * linear.out_features,
        _ => 0,
    };

    /// <summary>The summary as a fixed-width table: layer, type, output shape, parameters, multiply-adds, then the totals.</summary>
    public override string ToString()
    {
        static string Shape(IReadOnlyList<long> s) => "[" + string.Join(", ", s) + "]";
        var nameWidth = Math.Max(5, Rows.Count == 0 ? 0 : Rows.Max(r => r.Name.Length));
        var typeWidth = Math.Max(4, Rows.Count == 0 ? 0 : Rows.Max(r => r.Type.Length));
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"{"Layer".PadRight(nameWidth)}  {"Type".PadRight(typeWidth)}  {"Output shape",-20}  {"Parameters",12}  {"Mult-adds",15}");
        foreach (var r in Rows)
            text.AppendLine(c, $"{r.Name.PadRight(nameWidth)}  {r.Type.PadRight(typeWidth)}  {Shape(r.OutputShape),-20}  {r.Parameters,12:N0}  {r.MultiplyAdds,15:N0}");
        text.AppendLine(c, $"Input {Shape([1, .. InputShape])}: {Rows.Count} layers, {TotalParameters:N0} parameters, {TotalMultiplyAdds:N0} multiply-adds ({TotalMultiplyAdds / 1e9:F3} G).");
        return text.ToString();
    }
}
