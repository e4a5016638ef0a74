using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Classification;

/// <summary>The hidden nonlinearity of <see cref="HoursMlp"/>.</summary>
public enum MlpActivation
{
    /// <summary>max(0, z): a unit whose input stays negative gets no gradient ("dies").</summary>
    ReLU,
    /// <summary>max(0.01·z, z): a small slope below zero keeps every unit trainable.</summary>
    LeakyReLU,
}

/// <summary>Settings of <see cref="HoursMlp.Fit"/>.</summary>
/// <param name="Activation">ReLU or LeakyReLU between the layers.</param>
/// <param name="LearningRate">Adam's step size; positive.</param>
/// <param name="Epochs">Full-batch updates; at least one.</param>
/// <param name="Seed">Seed of the initialisation.</param>
public sealed record HoursMlpOptions(MlpActivation Activation = MlpActivation.ReLU, double LearningRate = 0.01, int Epochs = 1000, long Seed = 0);

/// <summary>A trained 1-5-5-2 network on the hours data.</summary>
/// <param name="Options">How it was trained.</param>
/// <param name="ParameterCount">Trainable values: (1·5 + 5) + (5·5 + 5) + (5·2 + 2) = 52.</param>
/// <param name="Losses">Cross-entropy before each update, then after the last one.</param>
/// <param name="GridHours">Hours at which <see cref="GridPassProbability"/> is evaluated (0 to 8 in steps of 0.1).</param>
/// <param name="GridPassProbability">softmax(logits)[pass] at each grid point.</param>
/// <param name="PassProbabilityAt1Hour">softmax(logits)[pass] at 1 hour.</param>
/// <param name="PassProbabilityAt7Hours">softmax(logits)[pass] at 7 hours.</param>
public sealed record HoursMlpRun(HoursMlpOptions Options, long ParameterCount, IReadOnlyList<double> Losses,
    IReadOnlyList<double> GridHours, IReadOnlyList<double> GridPassProbability, double PassProbabilityAt1Hour, double PassProbabilityAt7Hours)
{
    /// <summary>The final cross-entropy.</summary>
    public double FinalLoss => Losses[^1];
}

/// <summary>
/// Notebook 3-1(b, c): the same pass/fail question as two-class classification — an MLP 1 → 5 → 5 → 2 whose two
/// outputs are logits (fail, pass), trained with <c>cross_entropy</c> and Adam, full batch, in float64.
/// </summary>
/// <remarks>
/// The network ends in a Linear layer: <c>cross_entropy</c> applies log-softmax to the logits itself, so adding a
/// softmax layer would apply it twice (the gradients then shrink and training stalls). Probabilities are
/// softmax(logits), computed only when we want to read them.
/// </remarks>
public static class HoursMlp
{
    /// <summary>Trains the 1-5-5-2 network on (hours, passed) and evaluates it on a grid.</summary>
    /// <param name="x">Inputs (hours).</param>
    /// <param name="y">Labels 0 (fail) or 1 (pass), as many as the inputs.</param>
    /// <param name="options">Activation, learning rate, epochs and seed.</param>
    /// <param name="cancellationToken">Stops between updates.</param>
    /// <exception cref="ArgumentException">Empty, non-finite or unpaired data, or labels other than 0 and 1.</exception>
    public static HoursMlpRun Fit(IReadOnlyList<double> x, IReadOnlyList<double> y, HoursMlpOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        LogisticRegressionReference.Loss(x, y, 0, 0); // validates the data
        Infrastructure.Require.Positive(options.LearningRate, nameof(options.LearningRate));
        if (options.Epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, "At least one epoch is needed.");
        if (!Enum.IsDefined(options.Activation))
            throw new ArgumentOutOfRangeException(nameof(options), options.Activation, "Unknown activation.");
        TorchRuntime.EnsureLoaded();

        using var outer = NewDisposeScope();
        random.manual_seed(options.Seed);
        var inputs = tensor(x.ToArray(), [x.Count, 1], dtype: ScalarType.Float64);
        var targets = tensor(y.Select(v => (long)v).ToArray(), [y.Count]);
        using var model = Create(options.Activation);
        var parameterCount = model.parameters().Sum(p => p.numel());
        using var optimizer = optim.Adam(model.parameters(), options.LearningRate);

        var losses = FullBatchTraining.Run(optimizer, () => nn.functional.cross_entropy(model.forward(inputs), targets), options.Epochs, options.LearningRate, cancellationToken);

        var grid = Enumerable.Range(0, 81).Select(i => i / 10.0).ToArray();
        double[] pass;
        using (no_grad())
        {
            using var scope = NewDisposeScope();
            var probabilities = model.forward(tensor(grid, [grid.Length, 1], dtype: ScalarType.Float64)).softmax(1);
            pass = probabilities.select(1, 1).data<double>().ToArray();
        }
        return new HoursMlpRun(options, parameterCount, losses, grid, pass, pass[10], pass[70]);
    }

    private static nn.Module<Tensor, Tensor> Create(MlpActivation activation)
    {
        nn.Module<Tensor, Tensor> Activation() => activation == MlpActivation.ReLU ? nn.ReLU() : nn.LeakyReLU(0.01);
        return nn.Sequential(
            ("linear1", nn.Linear(1, 5, dtype: ScalarType.Float64)), ("act1", Activation()),
            ("linear2", nn.Linear(5, 5, dtype: ScalarType.Float64)), ("act2", Activation()),
            ("logits", nn.Linear(5, 2, dtype: ScalarType.Float64)));
    }
}
