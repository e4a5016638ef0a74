using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>One node of the computational graph: what it computes, its value, and ∂L/∂(node).</summary>
/// <param name="Name">The node's symbol (x, W1, z1, a1, ŷ, L, …).</param>
/// <param name="Operation">How it is computed from earlier nodes ("input", "parameter", "z1 = x·W1ᵀ + b1", …).</param>
/// <param name="Shape">Its shape ([] for the scalar loss).</param>
/// <param name="Value">Its values, flattened row by row.</param>
/// <param name="Gradient">∂L/∂(node), flattened like <see cref="Value"/>.</param>
public sealed record GraphNode(string Name, string Operation, IReadOnlyList<int> Shape, IReadOnlyList<double> Value, IReadOnlyList<double> Gradient);

/// <summary>A forward and backward pass: the loss and every node of the graph with its gradient.</summary>
/// <param name="Loss">The mean squared error L.</param>
/// <param name="Graph">The nodes in forward order (inputs and parameters first, L last).</param>
public sealed record BackpropPass(double Loss, IReadOnlyList<GraphNode> Graph)
{
    /// <summary>The node called <paramref name="name"/>.</summary>
    /// <param name="name">A node name such as "W1".</param>
    public GraphNode Node(string name) => Graph.FirstOrDefault(n => n.Name == name)
        ?? throw new KeyNotFoundException($"No graph node is called '{name}'; the nodes are {string.Join(", ", Graph.Select(n => n.Name))}.");
}

/// <summary>
/// Notebook 2-4(a): backpropagation written out with the chain rule for x → Linear(d, h) → σ → Linear(h, 1),
/// L = mean (ŷ − y)², in plain C# (no autograd), and the same graph evaluated by TorchSharp autograd so the two
/// can be compared node by node.
/// </summary>
public static class HandBackprop
{
    /// <summary>Forward and backward pass by hand.</summary>
    /// <param name="network">The weights.</param>
    /// <param name="x">Inputs, n rows of d values.</param>
    /// <param name="y">Targets, n values.</param>
    /// <exception cref="ArgumentException">The shapes do not fit together, or a value is not finite.</exception>
    public static BackpropPass Run(TwoLayerNetwork network, IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<double> y)
    {
        var (n, d, h) = Validate(network, x, y);
        var w1 = network.W1;
        var w2 = network.W2;

        // Forward: z1 = x·W1ᵀ + b1, a1 = σ(z1), ŷ = a1·w2ᵀ + b2, r = ŷ − y, L = mean r².
        var z1 = new double[n, h];
        var a1 = new double[n, h];
        var yHat = new double[n];
        var r = new double[n];
        for (var i = 0; i < n; i++)
        {
            yHat[i] = network.B2;
            for (var j = 0; j < h; j++)
            {
                var z = network.B1[j];
                for (var k = 0; k < d; k++)
                    z += x[i][k] * w1[j][k];
                z1[i, j] = z;
                a1[i, j] = Activate(network.Activation, z);
                yHat[i] += a1[i, j] * w2[j];
            }
            r[i] = yHat[i] - y[i];
        }
        var loss = r.Sum(v => v * v) / n;

        // Backward, node by node from L: each gradient is the upstream gradient times the local derivative.
        var dR = r.Select(v => 2 * v / n).ToArray();                 // ∂L/∂r = 2r/n
        var dYHat = dR;                                               // r = ŷ − y
        var dY = dR.Select(v => -v).ToArray();
        var dB2 = dYHat.Sum();                                        // ŷ = a1·w2ᵀ + b2
        var dW2 = new double[h];
        var dA1 = new double[n, h];
        var dZ1 = new double[n, h];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < h; j++)
            {
                dW2[j] += a1[i, j] * dYHat[i];
                dA1[i, j] = dYHat[i] * w2[j];
                dZ1[i, j] = dA1[i, j] * Derivative(network.Activation, a1[i, j]); // a1 = σ(z1)
            }
        }
        var dW1 = new double[h, d];                                   // z1 = x·W1ᵀ + b1
        var dB1 = new double[h];
        var dX = new double[n, d];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < h; j++)
            {
                dB1[j] += dZ1[i, j];
                for (var k = 0; k < d; k++)
                {
                    dW1[j, k] += dZ1[i, j] * x[i][k];
                    dX[i, k] += dZ1[i, j] * w1[j][k];
                }
            }
        }

        var xFlat = x.SelectMany(row => row).ToArray();
        var graph = Nodes(network.Activation, n, d, h,
            xFlat, Flat(dX), w1.SelectMany(row => row).ToArray(), Flat(dW1), network.B1.ToArray(), dB1,
            Flat(z1), Flat(dZ1), Flat(a1), Flat(dA1), network.W2.ToArray(), dW2, [network.B2], [dB2],
            yHat, dYHat, y.ToArray(), dY, r, dR, loss);
        return new BackpropPass(loss, graph);
    }

    /// <summary>The same pass by TorchSharp autograd (float64, <c>retain_grad()</c> on the intermediate nodes).</summary>
    /// <param name="network">The weights.</param>
    /// <param name="x">Inputs, n rows of d values.</param>
    /// <param name="y">Targets, n values.</param>
    /// <exception cref="ArgumentException">The shapes do not fit together, or a value is not finite.</exception>
    public static BackpropPass RunWithAutograd(TwoLayerNetwork network, IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<double> y)
    {
        var (n, d, h) = Validate(network, x, y);
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        Tensor Leaf(double[] values, params long[] shape) => tensor(values, shape, dtype: ScalarType.Float64, requires_grad: true);
        var xs = Leaf(x.SelectMany(row => row).ToArray(), n, d);
        var w1 = Leaf(network.W1.SelectMany(row => row).ToArray(), h, d);
        var b1 = Leaf(network.B1.ToArray(), h);
        var w2 = Leaf(network.W2.ToArray(), 1, h);
        var b2 = Leaf([network.B2], 1);
        var ys = Leaf(y.ToArray(), n, 1);
        var z1 = xs.matmul(w1.t()) + b1;
        var a1 = network.Activation == HiddenActivation.Sigmoid ? z1.sigmoid() : z1.tanh();
        var yHat = a1.matmul(w2.t()) + b2;
        var r = yHat - ys;
        var loss = r.pow(2).mean();
        foreach (var node in new[] { z1, a1, yHat, r, loss })
            node.retain_grad();
        loss.backward();

        static double[] V(Tensor t) => t.detach().contiguous().data<double>().ToArray();
        static double[] G(Tensor t) => V(t.grad!);
        var graph = Nodes(network.Activation, n, d, h, V(xs), G(xs), V(w1), G(w1), V(b1), G(b1), V(z1), G(z1), V(a1), G(a1),
            V(w2), G(w2), V(b2), G(b2), V(yHat), G(yHat), V(ys), G(ys), V(r), G(r), loss.item<double>());
        return new BackpropPass(loss.item<double>(), graph);
    }

    /// <summary>The largest |hand − autograd| over every value and gradient of the two passes' graphs.</summary>
    /// <param name="hand">The pass by <see cref="Run"/>.</param>
    /// <param name="autograd">The pass by <see cref="RunWithAutograd"/> on the same input.</param>
    public static double MaxDifference(BackpropPass hand, BackpropPass autograd)
    {
        ArgumentNullException.ThrowIfNull(hand);
        ArgumentNullException.ThrowIfNull(autograd);
        if (hand.Graph.Count != autograd.Graph.Count)
            throw new ArgumentException($"The graphs have {hand.Graph.Count} and {autograd.Graph.Count} nodes; compare passes of the same network.", nameof(autograd));
        return hand.Graph.Zip(autograd.Graph, (a, b) =>
        {
            if (a.Name != b.Name || a.Value.Count != b.Value.Count)
                throw new ArgumentException($"Node '{a.Name}' does not match node '{b.Name}'; compare passes of the same network.", nameof(autograd));
            return a.Value.Zip(b.Value, (p, q) => Math.Abs(p - q)).Concat(a.Gradient.Zip(b.Gradient, (p, q) => Math.Abs(p - q))).Max();
        }).Max();
    }

    private static (int N, int D, int H) Validate(TwoLayerNetwork network, IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        network.Validate(nameof(network));
        if (x.Count == 0)
            throw new ArgumentException("There are no samples; x needs at least one row.", nameof(x));
        for (var i = 0; i < x.Count; i++)
        {
            if (x[i] is null || x[i].Count != network.Inputs)
                throw new ArgumentException($"Sample {i} has {x[i]?.Count ?? 0} features but the network's first layer takes {network.Inputs} (W1 is [{network.Hidden}, {network.Inputs}]).", nameof(x));
            if (x[i].Any(v => !double.IsFinite(v)))
                throw new ArgumentException($"Sample {i} holds a value that is not finite.", nameof(x));
        }
        Infrastructure.Require.FiniteAndNonEmpty(y, nameof(y));
        Infrastructure.Require.SameLength(x.Select(_ => 0.0).ToArray(), y, nameof(x), nameof(y));
        return (x.Count, network.Inputs, network.Hidden);
    }

    private static double Activate(HiddenActivation activation, double z) =>
        activation == HiddenActivation.Sigmoid ? 1 / (1 + Math.Exp(-z)) : Math.Tanh(z);

    // Both derivatives are cheapest in terms of the activation's output a.
    private static double Derivative(HiddenActivation activation, double a) =>
        activation == HiddenActivation.Sigmoid ? a * (1 - a) : 1 - a * a;

    private static double[] Flat(double[,] m) => m.Cast<double>().ToArray();

    private static GraphNode[] Nodes(HiddenActivation activation, int n, int d, int h,
        double[] x, double[] dX, double[] w1, double[] dW1, double[] b1, double[] dB1, double[] z1, double[] dZ1, double[] a1, double[] dA1,
        double[] w2, double[] dW2, double[] b2, double[] dB2, double[] yHat, double[] dYHat, double[] y, double[] dY, double[] r, double[] dR, double loss)
    {
        var sigma = activation == HiddenActivation.Sigmoid ? "sigmoid" : "tanh";
        return
        [
            new("x", "input", [n, d], x, dX),
            new("W1", "parameter", [h, d], w1, dW1),
            new("b1", "parameter", [h], b1, dB1),
            new("z1", "x·W1ᵀ + b1", [n, h], z1, dZ1),
            new("a1", $"{sigma}(z1)", [n, h], a1, dA1),
            new("W2", "parameter", [1, h], w2, dW2),
            new("b2", "parameter", [1], b2, dB2),
            new("ŷ", "a1·W2ᵀ + b2", [n, 1], yHat, dYHat),
            new("y", "target", [n, 1], y, dY),
            new("r", "ŷ − y", [n, 1], r, dR),
            new("L", "mean(r²)", [], [loss], [1.0]),
        ];
    }
}
