using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>Settings of <see cref="GradientCheck"/>.</summary>
/// <param name="Step">
/// Finite-difference step, relative to the size of each value: h = Step·max(1, |x|). In float64 the central
/// difference (f(x + h) − f(x − h)) / 2h has truncation error ~h² and rounding error ~10⁻¹⁶/h, so 10⁻⁶ leaves
/// both near 10⁻¹⁰.
/// </param>
/// <param name="Tolerance">
/// An element passes when |autograd − numeric| ≤ Tolerance·max(1, |autograd|, |numeric|): an absolute test for
/// small gradients, a relative one for large gradients.
/// </param>
public sealed record GradientCheckOptions(double Step = 1e-6, double Tolerance = 1e-6);

/// <summary>How far one input's gradient is from the finite-difference estimate.</summary>
/// <param name="Input">The input's position in the argument list.</param>
/// <param name="Shape">The input's shape.</param>
/// <param name="MaxAbsoluteError">max over elements of |analytic − numeric|.</param>
/// <param name="MaxRelativeError">max over elements of |analytic − numeric| / max(|analytic|, |numeric|) (0 where both are 0).</param>
/// <param name="Passed">Whether every element is within the tolerance (see <see cref="GradientCheckOptions.Tolerance"/>).</param>
public sealed record InputGradientError(int Input, IReadOnlyList<long> Shape, double MaxAbsoluteError, double MaxRelativeError, bool Passed);

/// <summary>The outcome of a gradient check.</summary>
/// <param name="Inputs">One entry per input, in order.</param>
/// <param name="Options">The step and tolerance used.</param>
/// <param name="Evaluations">How many times the function was evaluated for the finite differences (2 per element).</param>
public sealed record GradientCheckResult(IReadOnlyList<InputGradientError> Inputs, GradientCheckOptions Options, int Evaluations)
{
    /// <summary>Whether every input passed.</summary>
    public bool Passed => Inputs.All(i => i.Passed);
}

/// <summary>
/// Checks gradients against central finite differences, in float64: the test every hand-written or autograd
/// gradient should pass. The function receives float64 copies of the inputs (the caller's tensors are not changed)
/// and must return a scalar (a tensor with one element).
/// </summary>
public static class GradientCheck
{
    /// <summary>Compares TorchSharp autograd's gradient of <paramref name="function"/> with finite differences.</summary>
    /// <param name="function">A scalar function of the inputs, built from differentiable TorchSharp operations.</param>
    /// <param name="inputs">The point at which to check; floating-point tensors with finite values.</param>
    /// <param name="options">Step and tolerance, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops between function evaluations.</param>
    /// <exception cref="ArgumentException">An input is not floating point or not finite, or the function does not return a finite scalar.</exception>
    public static GradientCheckResult Check(Func<Tensor[], Tensor> function, IReadOnlyList<Tensor> inputs, GradientCheckOptions? options = null, CancellationToken cancellationToken = default) =>
        Compare(function, null, inputs, options, cancellationToken);

    /// <summary>
    /// Compares a hand-written gradient with finite differences of <paramref name="function"/> (autograd is not
    /// used for the comparison, so a wrong formula is caught).
    /// </summary>
    /// <param name="function">A scalar function of the inputs.</param>
    /// <param name="gradient">Returns ∂f/∂input for every input, each shaped like its input.</param>
    /// <param name="inputs">The point at which to check; floating-point tensors with finite values.</param>
    /// <param name="options">Step and tolerance, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops between function evaluations.</param>
    /// <exception cref="ArgumentException">As <see cref="Check"/>, or the gradient has the wrong count or shapes.</exception>
    public static GradientCheckResult CheckAgainst(Func<Tensor[], Tensor> function, Func<Tensor[], Tensor[]> gradient, IReadOnlyList<Tensor> inputs, GradientCheckOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        return Compare(function, gradient, inputs, options, cancellationToken);
    }

    private static GradientCheckResult Compare(Func<Tensor[], Tensor> function, Func<Tensor[], Tensor[]>? gradient, IReadOnlyList<Tensor> inputs, GradientCheckOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        options ??= new GradientCheckOptions();
        Infrastructure.Require.Positive(options.Step, nameof(options.Step));
        Infrastructure.Require.Positive(options.Tolerance, nameof(options.Tolerance));
        if (inputs.Count == 0)
            throw new ArgumentException("There are no inputs; give at least one tensor to differentiate with respect to.", nameof(inputs));
        TorchRuntime.EnsureLoaded();

        var shapes = new long[inputs.Count][];
        var values = new double[inputs.Count][];
        using (NewDisposeScope())
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                var input = inputs[i] ?? throw new ArgumentNullException(nameof(inputs), $"Input {i} is null.");
                if (!input.is_floating_point())
                    throw new ArgumentException($"Input {i} has dtype {input.dtype}; gradients exist only for floating-point tensors (use Float32 or Float64).", nameof(inputs));
                shapes[i] = input.shape;
                values[i] = input.detach().to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
                var bad = Array.FindIndex(values[i], v => !double.IsFinite(v));
                if (bad >= 0)
                    throw new ArgumentException($"Input {i} holds {values[i][bad]} at flat index {bad}; every value must be finite.", nameof(inputs));
            }
        }

        var analytic = gradient is null ? Autograd(function, shapes, values) : HandGiven(function, gradient, shapes, values);

        var errors = new InputGradientError[inputs.Count];
        var evaluations = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            double maxAbs = 0, maxRel = 0;
            var passed = true;
            var point = values.Select(v => (double[])v.Clone()).ToArray();
            for (var j = 0; j < values[i].Length; j++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var x = values[i][j];
                var h = options.Step * Math.Max(1, Math.Abs(x));
                point[i][j] = x + h;
                var plus = Evaluate(function, shapes, point);
                point[i][j] = x - h;
                var minus = Evaluate(function, shapes, point);
                point[i][j] = x;
                evaluations += 2;
                var numeric = (plus - minus) / (2 * h);
                var a = analytic[i][j];
                var abs = Math.Abs(a - numeric);
                var scale = Math.Max(Math.Abs(a), Math.Abs(numeric));
                maxAbs = Math.Max(maxAbs, abs);
                maxRel = Math.Max(maxRel, scale == 0 ? 0 : abs / scale);
                if (!(abs <= options.Tolerance * Math.Max(1, scale)))
                    passed = false;
            }
            errors[i] = new InputGradientError(i, shapes[i], maxAbs, maxRel, passed);
        }
        return new GradientCheckResult(errors, options, evaluations);
    }

    private static Tensor[] Leaves(long[][] shapes, double[][] values, bool requiresGrad) =>
        shapes.Select((s, i) => tensor(values[i], s, dtype: ScalarType.Float64, requires_grad: requiresGrad)).ToArray();

    private static double Scalar(Tensor output, string paramName)
    {
        ArgumentNullException.ThrowIfNull(output, paramName);
        if (output.numel() != 1)
            throw new ArgumentException($"The function returned a tensor of shape [{string.Join(", ", output.shape)}]; a gradient check needs a scalar (one element) — reduce it, e.g. with sum() or mean().", paramName);
        if (!output.is_floating_point())
            throw new ArgumentException($"The function returned a {output.dtype} tensor; it must be floating point to be differentiable.", paramName);
        var value = output.detach().to_type(ScalarType.Float64).cpu().item<double>();
        if (!double.IsFinite(value))
            throw new ArgumentException($"The function returned {value} at the checked point; it must be finite there.", paramName);
        return value;
    }

    private static double Evaluate(Func<Tensor[], Tensor> function, long[][] shapes, double[][] point)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return Scalar(function(Leaves(shapes, point, requiresGrad: false)), nameof(function));
    }

    private static double[][] Autograd(Func<Tensor[], Tensor> function, long[][] shapes, double[][] values)
    {
        using var scope = NewDisposeScope();
        var leaves = Leaves(shapes, values, requiresGrad: true);
        var output = function(leaves);
        Scalar(output, nameof(function));
        // A function that ignores its inputs has gradient zero (and no graph to run backward through).
        if (output.requires_grad)
            output.backward();
        return leaves.Select((leaf, i) => leaf.grad is { } g ? g.data<double>().ToArray() : new double[values[i].Length]).ToArray();
    }

    private static double[][] HandGiven(Func<Tensor[], Tensor> function, Func<Tensor[], Tensor[]> gradient, long[][] shapes, double[][] values)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Scalar(function(Leaves(shapes, values, requiresGrad: false)), nameof(function));
        var result = gradient(Leaves(shapes, values, requiresGrad: false))
            ?? throw new ArgumentException("The gradient function returned null.", nameof(gradient));
        if (result.Length != shapes.Length)
            throw new ArgumentException($"The gradient function returned {result.Length} tensors for {shapes.Length} inputs; it must return one per input.", nameof(gradient));
        var flat = new double[shapes.Length][];
        for (var i = 0; i < shapes.Length; i++)
        {
            if (result[i] is null || !result[i].shape.SequenceEqual(shapes[i]))
                throw new ArgumentException($"Gradient {i} has shape [{(result[i] is null ? "null" : string.Join(", ", result[i].shape))}] but input {i} has shape [{string.Join(", ", shapes[i])}]; each gradient must be shaped like its input.", nameof(gradient));
            flat[i] = result[i].detach().to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        }
        return flat;
    }
}
