using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Classification;

/// <summary>Settings of <see cref="LogisticRegressionTrainer.Fit"/>.</summary>
/// <param name="LearningRate">SGD step size; positive.</param>
/// <param name="Epochs">Full-batch updates; at least one.</param>
/// <param name="L2">SGD weight decay λ on both w and b (the penalty (λ/2)(w² + b²)); 0 for none.</param>
/// <param name="Seed">Seed of the initial weight and bias.</param>
public sealed record LogisticRegressionOptions(double LearningRate = 0.1, int Epochs = 1000, double L2 = 0, long Seed = 0);

/// <summary>A trained p(pass | hours) = σ(w·hours + b).</summary>
/// <param name="Options">How it was trained.</param>
/// <param name="InitialWeight">w before training (TorchSharp's initialisation for the seed).</param>
/// <param name="InitialBias">b before training.</param>
/// <param name="Weight">w after training.</param>
/// <param name="Bias">b after training.</param>
/// <param name="Losses">Mean binary cross-entropy (without the penalty) before each update, then after the last one.</param>
public sealed record LogisticRegressionRun(LogisticRegressionOptions Options, double InitialWeight, double InitialBias, double Weight, double Bias, IReadOnlyList<double> Losses)
{
    /// <summary>The final mean binary cross-entropy.</summary>
    public double FinalLoss => Losses[^1];

    /// <summary>The input where p = ½ (z = 0): −b / w.</summary>
    public double DecisionBoundary => -Bias / Weight;

    /// <summary>p(pass) after 1 hour of study.</summary>
    public double PassProbabilityAt1Hour => Probability(1);

    /// <summary>p(pass) after 7 hours of study.</summary>
    public double PassProbabilityAt7Hours => Probability(7);

    /// <summary>σ(w·hours + b).</summary>
    /// <param name="hours">Hours studied.</param>
    public double Probability(double hours) => StableSoftmax.Sigmoid(Weight * hours + Bias);
}

/// <summary>
/// Notebook 3-1(a): logistic regression with TorchSharp — <c>nn.Linear(1, 1)</c> producing a logit z, the loss
/// <c>binary_cross_entropy_with_logits</c>, full-batch <c>optim.SGD</c> — in float64 so it can be compared with
/// <see cref="LogisticRegressionReference"/> to round-off.
/// </summary>
/// <remarks>
/// <para>Why BCE with logits rather than sigmoid then BCE: it computes softplus(z) − y·z in one stable expression.
/// σ(z) rounds to exactly 1 in float64 from z ≈ 37 (float32: z ≈ 17), after which log(1 − σ) is log 0 — PyTorch's BCE
/// then clamps the log at −100, so the loss looks finite but its gradient is wrong (zero) for confidently wrong
/// predictions. With logits nothing rounds away, and the gradient is exactly σ(z) − y.</para>
/// <para>The original notebook's comment that BCE "includes softmax" is wrong: <c>BCELoss</c> takes probabilities
/// (you apply the sigmoid yourself) and <c>BCEWithLogitsLoss</c> applies a sigmoid internally — never a softmax.
/// It is <c>cross_entropy</c> (for class indices) that applies log-softmax itself, which is why no softmax layer
/// belongs before it.</para>
/// </remarks>
public static class LogisticRegressionTrainer
{
    /// <summary>The hours studied of notebook 3-1.</summary>
    public static IReadOnlyList<double> Hours { get; } = [1, 2, 3, 4];

    /// <summary>Whether each student passed (1) or failed (0).</summary>
    public static IReadOnlyList<double> Passed { get; } = [0, 0, 1, 1];

    /// <summary>Trains on (x, y) and returns the fit and its loss history.</summary>
    /// <param name="x">Inputs (hours).</param>
    /// <param name="y">Labels 0 or 1, as many as the inputs.</param>
    /// <param name="options">Learning rate, epochs, penalty and seed.</param>
    /// <param name="cancellationToken">Stops between updates.</param>
    /// <exception cref="ArgumentException">Empty, non-finite, unpaired data or labels other than 0 and 1.</exception>
    /// <exception cref="InvalidOperationException">The loss became non-finite (it cannot for a finite learning rate on this loss, but it is checked rather than trained on).</exception>
    public static LogisticRegressionRun Fit(IReadOnlyList<double> x, IReadOnlyList<double> y, LogisticRegressionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        LogisticRegressionReference.Loss(x, y, 0, 0, options.L2); // validates the data and the penalty
        Infrastructure.Require.Positive(options.LearningRate, nameof(options.LearningRate));
        if (options.Epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, "At least one epoch is needed.");
        TorchRuntime.EnsureLoaded();

        using var outer = NewDisposeScope();
        random.manual_seed(options.Seed);
        var inputs = tensor(x.ToArray(), [x.Count, 1], dtype: ScalarType.Float64);
        var targets = tensor(y.ToArray(), [y.Count, 1], dtype: ScalarType.Float64);
        using var model = nn.Linear(1, 1, dtype: ScalarType.Float64);
        var (w0, b0) = (model.weight!.data<double>()[0], model.bias!.data<double>()[0]);
        using var optimizer = optim.SGD(model.parameters(), options.LearningRate, weight_decay: options.L2);

        var losses = FullBatchTraining.Run(optimizer, () => nn.functional.binary_cross_entropy_with_logits(model.forward(inputs), targets), options.Epochs, options.LearningRate, cancellationToken);
        return new LogisticRegressionRun(options, w0, b0, model.weight!.data<double>()[0], model.bias!.data<double>()[0], losses);
    }
}
