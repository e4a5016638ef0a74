using static TorchSharp.torch;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>
/// A 2-D function f(x, y) to minimise, given both as plain doubles (value and gradient, for contours and the
/// from-scratch optimisers) and as a TorchSharp expression (for autograd and <c>torch.optim</c>).
/// </summary>
public sealed class TestFunction
{
    private readonly Func<double, double, double> value;
    private readonly Func<double, double, (double, double)> gradient;
    private readonly Func<Tensor, Tensor, Tensor> expression;

    private TestFunction(string name, string formula, (double X, double Y) start, (double X, double Y) minimum,
        (double Min, double Max) xRange, (double Min, double Max) yRange,
        Func<double, double, double> value, Func<double, double, (double, double)> gradient, Func<Tensor, Tensor, Tensor> expression)
    {
        Name = name;
        Formula = formula;
        Start = start;
        Minimum = minimum;
        XRange = xRange;
        YRange = yRange;
        this.value = value;
        this.gradient = gradient;
        this.expression = expression;
    }

    /// <summary>
    /// f(x, y) = ½(x² + 25y²): a bowl 25 times steeper in y than in x (Hessian diag(1, 25), condition number 25),
    /// minimum f* = 0 at (0, 0), start (−4, 1.5). Plain gradient descent is stable only for lr &lt; 2/25 and then
    /// creeps along x at rate (1 − lr) per step: the textbook case for momentum and per-coordinate step sizes.
    /// </summary>
    public static TestFunction IllConditionedQuadratic { get; } = new(
        "ill-conditioned quadratic", "f(x, y) = ½(x² + 25y²)", (-4, 1.5), (0, 0), (-4.5, 4.5), (-2, 2),
        (x, y) => 0.5 * (x * x + 25 * y * y),
        (x, y) => (x, 25 * y),
        (x, y) => 0.5 * (x * x + 25 * y * y));

    /// <summary>
    /// Rosenbrock f(x, y) = (1 − x)² + 100(y − x²)² (a = 1, b = 100) from the classic start (−1.2, 1): a curved,
    /// flat-bottomed valley; minimum f* = 0 at (1, 1).
    /// </summary>
    public static TestFunction Rosenbrock { get; } = new(
        "Rosenbrock", "f(x, y) = (1 − x)² + 100(y − x²)²", (-1.2, 1), (1, 1), (-2, 2), (-1, 3),
        (x, y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x),
        (x, y) => (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)),
        (x, y) => (1 - x).square() + 100 * (y - x.square()).square());

    /// <summary>The function's name.</summary>
    public string Name { get; }

    /// <summary>Its formula, for display.</summary>
    public string Formula { get; }

    /// <summary>Where the optimisers start.</summary>
    public (double X, double Y) Start { get; }

    /// <summary>The minimiser (x*, y*).</summary>
    public (double X, double Y) Minimum { get; }

    /// <summary>The minimum value f*.</summary>
    public double MinimumValue => Value(Minimum.X, Minimum.Y);

    /// <summary>The x range drawn by the contour plot.</summary>
    public (double Min, double Max) XRange { get; }

    /// <summary>The y range drawn by the contour plot.</summary>
    public (double Min, double Max) YRange { get; }

    /// <summary>f(x, y).</summary>
    /// <param name="x">First coordinate.</param>
    /// <param name="y">Second coordinate.</param>
    public double Value(double x, double y) => value(x, y);

    /// <summary>The gradient (∂f/∂x, ∂f/∂y), by hand.</summary>
    /// <param name="x">First coordinate.</param>
    /// <param name="y">Second coordinate.</param>
    public (double Dx, double Dy) Gradient(double x, double y) => gradient(x, y);

    /// <summary>f of a 2-element parameter tensor [x, y], as a TorchSharp expression autograd can differentiate.</summary>
    internal Tensor Evaluate(Tensor parameters) => expression(parameters[0], parameters[1]);

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Formula}";
}
