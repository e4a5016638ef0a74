using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Plotting;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.ResNet;

/// <summary>One weighted layer's numbers for one batch, from <see cref="LayerStatistics.Measure"/>.</summary>
/// <param name="Layer">1 for the first weighted layer that ran, up to the number of weighted layers.</param>
/// <param name="Name">The layer's path in the model, such as <c>conv3</c> or <c>layer2.0.conv1</c>.</param>
/// <param name="Type">The layer's class name, such as <c>Conv2d</c> or <c>Linear</c>.</param>
/// <param name="ActivationStd">
/// The standard deviation of the layer's output z (before any batch norm or activation that follows it), over every
/// element of the batch: how large the forward signal is at this depth.
/// </param>
/// <param name="OutputGradientStd">
/// The standard deviation of ∂L/∂z, the loss's gradient with respect to that output: how large the backward signal
/// is when it reaches this layer.
/// </param>
/// <param name="WeightGradientNorm">The Frobenius norm ‖∂L/∂W‖ of the gradient of the layer's weight: what the optimiser steps with.</param>
public sealed record LayerStatistic(int Layer, string Name, string Type, double ActivationStd, double OutputGradientStd, double WeightGradientNorm);

/// <summary>
/// Per-layer statistics of a network at one moment (typically at initialisation): one batch forward and backward,
/// and for every weighted layer the size of its output, of the gradient flowing back into it, and of its weight's
/// gradient. Chapter 4 uses it to measure — rather than assert — how initialisation and batch norm decide whether the
/// signal and the gradients keep their size through a deep plain stack.
/// </summary>
public static class LayerStatistics
{
    /// <summary>
    /// Runs one batch through <paramref name="model"/> in training mode (batch norms use the batch's statistics, as
    /// during training), takes the mean cross-entropy of its logits against <paramref name="targets"/>, back-propagates,
    /// and records one <see cref="LayerStatistic"/> per weighted layer — every leaf module with a <c>weight</c>
    /// parameter of two or more dimensions (Linear, Conv1d/2d/3d) — in the order the layers ran. All statistics are
    /// computed in float64, so values far below float32's smallest normal number (about 1e-38 once squared) do not
    /// round to zero. Layers are seen through forward hooks, which fire when a layer runs through <c>call</c> (as in
    /// <c>Sequential</c> and the library's networks); a layer that runs more than once is recorded at its first run.
    /// Afterwards the model's mode is restored, its hooks removed and its gradients zeroed; its weights are unchanged
    /// (but batch norms' running statistics took one update, as in any training-mode forward pass).
    /// </summary>
    /// <param name="model">A classifier returning logits [batch, classes].</param>
    /// <param name="inputs">One batch of inputs, on the model's device.</param>
    /// <param name="targets">The batch's class indices (int64 [batch]), on the same device.</param>
    /// <returns>One entry per weighted layer, from the input side to the output.</returns>
    /// <exception cref="ArgumentException">
    /// The logits are not [batch, classes] floating point, the targets are not int64 class indices in range (checked
    /// before the loss's native call), or no weighted layer ran through <c>call</c>.
    /// </exception>
    public static IReadOnlyList<LayerStatistic> Measure(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var seen = new List<(string Name, nn.Module Module, Tensor Output, double ActivationStd)>();
        var removers = new List<Action>();
        foreach (var (name, module) in model.named_modules())
        {
            if (module is not nn.Module<Tensor, Tensor> layer || module.named_children().Any() || !IsWeighted(module))
                continue;
            var path = name;
            removers.Add(layer.register_forward_hook((self, input, output) =>
            {
                if (seen.Any(s => ReferenceEquals(s.Module, self)))
                    return output;
                if (output.requires_grad)
                    output.retain_grad();
                // The hook's output may be disposed by its container (Sequential disposes intermediate results) or by
                // a dispose scope inside the model's forward: an alias — a second handle to the same tensor, whose
                // gradient the backward pass fills in — kept out of every scope and disposed below.
                seen.Add((path, self, output.alias().DetachFromDisposeScope(), Std(output)));
                return output;
            }).remove);
        }

        var wasTraining = model.training;
        try
        {
            model.train();
            model.zero_grad();
            var logits = model.call(inputs);
            TensorArguments.Classification(logits, targets, null, checkTargetRange: true, "The model's output", nameof(model), nameof(targets));
            if (seen.Count == 0)
                throw new ArgumentException("No weighted layer (Linear or convolution) of the model ran through call(), so none could be measured; run the layers with layer.call(x), as Sequential does.", nameof(model));
            nn.functional.cross_entropy(logits, targets).backward();
            var statistics = seen.Select((s, i) => new LayerStatistic(i + 1, s.Name, s.Module.GetType().Name, s.ActivationStd,
                s.Output.grad is { } g ? Std(g) : double.NaN,
                Weight(s.Module)?.grad is { } w ? Norm(w) : double.NaN)).ToList();
            model.zero_grad();
            return statistics;
        }
        finally
        {
            foreach (var remove in removers)
                remove();
            foreach (var s in seen)
                s.Output.Dispose();
            model.train(wasTraining);
        }
    }

    /// <summary>
    /// The layer-by-layer geometric mean of several measurements of one architecture — the same network initialised
    /// from several seeds, say: each statistic becomes exp(mean of its logarithms), the average that suits numbers
    /// which shrink or grow by factors, and that one unlucky draw does not dominate. Layer numbers, names and types are
    /// the first measurement's. A zero in any measurement makes that layer's mean zero; NaN stays NaN.
    /// </summary>
    /// <param name="measurements">At least one <see cref="Measure"/> result, all with the same layers in the same order.</param>
    /// <exception cref="ArgumentException">No measurement, or measurements whose layers differ in number or name.</exception>
    public static IReadOnlyList<LayerStatistic> GeometricMean(IReadOnlyList<IReadOnlyList<LayerStatistic>> measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        if (measurements.Count == 0)
            throw new ArgumentException("Give at least one measurement to average.", nameof(measurements));
        var first = measurements[0];
        foreach (var other in measurements.Skip(1))
        {
            if (other.Count != first.Count || !other.Select(l => l.Name).SequenceEqual(first.Select(l => l.Name)))
                throw new ArgumentException($"The measurements do not have the same layers ({first.Count} layers: {string.Join(", ", first.Select(l => l.Name).Take(3))}, … against {other.Count}: {string.Join(", ", other.Select(l => l.Name).Take(3))}, …); average measurements of one architecture.", nameof(measurements));
        }
        double Mean(int layer, Func<LayerStatistic, double> value) => Math.Exp(measurements.Average(m => Math.Log(value(m[layer]))));
        return [.. first.Select((l, i) => l with
        {
            ActivationStd = Mean(i, s => s.ActivationStd),
            OutputGradientStd = Mean(i, s => s.OutputGradientStd),
            WeightGradientNorm = Mean(i, s => s.WeightGradientNorm),
        })];
    }

    /// <summary>
    /// One line per measured network against the layer number, on a logarithmic axis (where a constant factor per
    /// layer — a signal that shrinks or grows geometrically with depth — is a straight line).
    /// </summary>
    /// <param name="title">The chart's title.</param>
    /// <param name="quantity">The vertical axis' title, such as "std of z (log scale)".</param>
    /// <param name="value">Which number of each layer to draw, such as <c>s =&gt; s.ActivationStd</c>.</param>
    /// <param name="series">The networks: a legend name and their <see cref="Measure"/> result each.</param>
    public static Figure Chart(string title, string quantity, Func<LayerStatistic, double> value, params (string Name, IReadOnlyList<LayerStatistic> Layers)[] series)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(quantity);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(series);
        var traces = series.Select(s => (Trace)new ScatterTrace(s.Name, [.. s.Layers.Select(l => (double)l.Layer)], [.. s.Layers.Select(value)], TraceMode.LinesAndMarkers));
        return new Figure(title, [.. traces]) { YAxis = new Axis(quantity, Logarithmic: true) }
            .WithAxisTitles("layer (1 = input side)", quantity);
    }

    private static bool IsWeighted(nn.Module module) =>
        Weight(module) is { } weight && weight.dim() >= 2;

    private static Tensor? Weight(nn.Module module) =>
        module.named_parameters(recurse: false).Where(p => p.name == "weight").Select(p => (Tensor)p.parameter).FirstOrDefault();

    private static double Std(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().to_type(ScalarType.Float64).std(unbiased: false).item<double>();
    }

    private static double Norm(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().to_type(ScalarType.Float64).norm().item<double>();
    }
}
