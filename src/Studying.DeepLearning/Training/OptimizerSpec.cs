namespace Studying.DeepLearning.Training;

/// <summary>The <c>torch.optim</c> optimisers: those chapter 2 races on its test functions and the <see cref="Trainer"/> uses.</summary>
public enum OptimizerKind
{
    /// <summary>Plain SGD: p −= lr·g.</summary>
    Sgd,
    /// <summary>SGD with (heavy-ball) momentum: v = μv + g, p −= lr·v.</summary>
    Momentum,
    /// <summary>SGD with Nesterov momentum: v = μv + g, p −= lr·(g + μv).</summary>
    Nesterov,
    /// <summary>Adagrad: s += g², p −= lr·g/(√s + ε).</summary>
    Adagrad,
    /// <summary>RMSprop: s = αs + (1 − α)g², p −= lr·g/(√s + ε).</summary>
    RmsProp,
    /// <summary>Adam: bias-corrected moving averages of g and g².</summary>
    Adam,
    /// <summary>AdamW: Adam with decoupled weight decay p −= lr·λ·p.</summary>
    AdamW,
    /// <summary>L-BFGS (no line search; one iteration, hence one gradient evaluation, per step).</summary>
    Lbfgs,
}

/// <summary>An optimiser and its settings. Other hyperparameters are PyTorch's defaults (Adam β = (0.9, 0.999), ε = 1e-8; RMSprop α = 0.99; L-BFGS history 10).</summary>
/// <param name="Kind">Which optimiser.</param>
/// <param name="LearningRate">Its learning rate; positive.</param>
public sealed record OptimizerSpec(OptimizerKind Kind, double LearningRate)
{
    /// <summary>The momentum μ of <see cref="OptimizerKind.Momentum"/> and <see cref="OptimizerKind.Nesterov"/>.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Weight decay λ: an L2 term λ·p added to the gradient, except for AdamW, which decays p directly.</summary>
    public double WeightDecay { get; init; }

    /// <summary>A short label such as "Adam (lr 0.1)".</summary>
    public string Label => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Kind switch { OptimizerKind.Sgd => "SGD", OptimizerKind.Momentum => "SGD+momentum", OptimizerKind.RmsProp => "RMSprop", OptimizerKind.Lbfgs => "L-BFGS", _ => Kind.ToString() }} (lr {LearningRate:G3})");
}
