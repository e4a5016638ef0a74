using System.Globalization;
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

    /// <summary>
    /// Summarises a model by one forward pass of zeros (batch 1, no gradients, evaluation mode, the model's mode restored
    /// afterwards). Shapes come from forward hooks where the model runs a layer through <c>call</c> (as
    /// <c>Sequential</c> does). A layer run through <c>forward</c> directly (hooks do not fire there) is replayed on
    /// zeros of the shape its parent's previous layer produced — or of its parent's input when its channels only fit
    /// that (a shortcut branch) — and a linear layer after a 4-D map takes the pooled [batch, channels].
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="inputShape">The input shape WITHOUT the batch dimension, e.g. [3, 224, 224].</param>
    /// <exception cref="ArgumentException">An empty shape or a size below 1, or a layer whose input cannot be inferred.</exception>
    public static ModelSummary Of(nn.Module<Tensor, Tensor> model, long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape.Any(s => s < 1))
            throw new ArgumentException($"The input shape (without batch) must be non-empty with every size ≥ 1; got [{string.Join(", ", inputShape)}].", nameof(inputShape));
        TorchRuntime.EnsureLoaded();
        long[] shape = [1, .. inputShape];

        var observed = new Dictionary<nn.Module, (long[] In, long[] Out)>(ReferenceEqualityComparer.Instance);
        var removers = new List<Action>();
        foreach (var (_, module) in model.named_modules().Prepend(("", model)))
        {
            if (module is nn.Module<Tensor, Tensor> m)
            {
                var handle = m.register_forward_hook((self, input, output) =>
                {
                    observed.TryAdd(self, (input.shape, output.shape));
                    return output;
                });
                removers.Add(handle.remove);
            }
        }
        var wasTraining = model.training;
        try
        {
            model.eval();
            using (no_grad())
            using (NewDisposeScope())
            {
                model.call(zeros(shape));
            }
            var rows = new List<ModelSummaryRow>();
            Walk(model, "", shape, observed, rows);
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

    private static long[] Walk(nn.Module module, string path, long[] input, Dictionary<nn.Module, (long[] In, long[] Out)> observed, List<ModelSummaryRow> rows)
    {
        var children = module.named_children().ToList();
        if (children.Count == 0)
        {
            var (inShape, outShape) = observed.TryGetValue(module, out var seen) ? seen : Replay(module, path, input);
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
            current = Walk(child, childPath, childInput, observed, rows);
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

    private static (long[] In, long[] Out) Replay(nn.Module module, string path, long[] input)
    {
        if (module is Linear linear && input[^1] != linear.in_features)
        {
            if (input.Length >= 2 && input[1] == linear.in_features)
                input = [input[0], linear.in_features];
            else
                throw new ArgumentException($"Cannot infer the input of linear layer '{path}' ({linear.in_features} features) from the shape [{string.Join(", ", input)}] before it.");
        }
        if (module is Conv2d conv && (input.Length != 4 || input[1] != conv.in_channels))
            throw new ArgumentException($"Cannot infer the input of convolution '{path}' ({conv.in_channels} channels) from the shape [{string.Join(", ", input)}] before it.");
        if (module is BatchNorm2d bn && (input.Length != 4 || input[1] != bn.num_features))
            throw new ArgumentException($"Cannot infer the input of batch norm '{path}' ({bn.num_features} channels) from the shape [{string.Join(", ", input)}] before it.");
        if (module is not nn.Module<Tensor, Tensor> runnable)
            return (input, input);
        using (no_grad())
        using (NewDisposeScope())
        {
            return (input, runnable.forward(zeros(input)).shape);
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
