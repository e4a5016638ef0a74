using Studying.DeepLearning.GradientDescent;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>How the three parameters of ŷ = w1·x + w2·x² + b are updated.</summary>
public enum QuadraticUpdateRule
{
    /// <summary>Each parameter with its own gradient: w1 ← w1 − η·∂L/∂w1, w2 ← w2 − η·∂L/∂w2, b ← b − η·∂L/∂b.</summary>
    Correct,
    /// <summary>
    /// The original notebook's slip, <c>w2 = w1 - η·w2.grad</c>, applied in its order (after w1 was updated): w2 is
    /// overwritten from w1 at every step, so the model can never fit a quadratic whose coefficients differ.
    /// </summary>
    OriginalBug,
}

/// <summary>Settings of <see cref="QuadraticModelTraining.Train"/>.</summary>
/// <param name="LearningRate">Step size; positive.</param>
/// <param name="Epochs">Passes over the data, one update per sample; at least one.</param>
/// <param name="Rule">Correct updates, or the original's bug.</param>
/// <param name="InitialW1">Start of w1.</param>
/// <param name="InitialW2">Start of w2.</param>
/// <param name="InitialBias">Start of b.</param>
public sealed record QuadraticTrainingOptions(double LearningRate = 0.01, int Epochs = 10, QuadraticUpdateRule Rule = QuadraticUpdateRule.Correct,
    double InitialW1 = 1, double InitialW2 = 1, double InitialBias = 1);

/// <summary>The parameters and training loss at the end of an epoch (epoch 0 is the start).</summary>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="W1">Coefficient of x.</param>
/// <param name="W2">Coefficient of x².</param>
/// <param name="Bias">The constant b.</param>
/// <param name="Loss">Mean squared error over the data.</param>
public sealed record QuadraticEpoch(int Epoch, double W1, double W2, double Bias, double Loss);

/// <summary>A run of <see cref="QuadraticModelTraining.Train"/>.</summary>
/// <param name="Options">The settings used.</param>
/// <param name="History">One entry per epoch, from epoch 0.</param>
/// <param name="PredictionAtFour">w1·4 + w2·16 + b at the end (41 for the true y = 2x² + x + 5).</param>
/// <param name="Divergence">Why the run was stopped early, or <see langword="null"/>.</param>
public sealed record QuadraticTrainingRun(QuadraticTrainingOptions Options, IReadOnlyList<QuadraticEpoch> History, double PredictionAtFour, Divergence? Divergence)
{
    /// <summary>The last epoch's parameters and loss.</summary>
    public QuadraticEpoch Final => History[^1];
}

/// <summary>
/// Notebook 2-4(b): ŷ = w1·x + w2·x² + b with three tensors that require gradients, per-sample squared error,
/// <c>backward()</c>, and a manual SGD update of each parameter — fixed (each with its own gradient) or as the
/// original wrote it (see <see cref="QuadraticUpdateRule.OriginalBug"/>). Float64.
/// </summary>
public static class QuadraticModelTraining
{
    /// <summary>Our toy inputs, [0, 1, 2, 3] (four points, so the three coefficients are determined with one to spare).</summary>
    public static IReadOnlyList<double> ToyInputs { get; } = [0, 1, 2, 3];

    /// <summary>Targets from y = 2x² + x + 5, so the right answer at x = 4 is 2·16 + 4 + 5 = 41.</summary>
    public static IReadOnlyList<double> ToyTargets { get; } = [5, 8, 15, 26];

    /// <summary>Trains the three parameters and records them after every epoch.</summary>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Targets, one per input.</param>
    /// <param name="options">Learning rate, epochs, update rule and start.</param>
    /// <param name="cancellationToken">Stops between updates.</param>
    public static QuadraticTrainingRun Train(IReadOnlyList<double> x, IReadOnlyList<double> y, QuadraticTrainingOptions options, CancellationToken cancellationToken = default)
    {
        LessonArguments.Data(x, y, nameof(x), nameof(y));
        ArgumentNullException.ThrowIfNull(options);
        LessonArguments.Schedule(options.LearningRate, options.Epochs, nameof(options.LearningRate), nameof(options.Epochs));
        LessonArguments.Finite(options.InitialW1, nameof(options.InitialW1));
        LessonArguments.Finite(options.InitialW2, nameof(options.InitialW2));
        LessonArguments.Finite(options.InitialBias, nameof(options.InitialBias));
        TorchRuntime.EnsureLoaded();

        using var outer = NewDisposeScope();
        Tensor Parameter(double value) => tensor(new[] { value }, dtype: ScalarType.Float64, requires_grad: true);
        var w1 = Parameter(options.InitialW1);
        var w2 = Parameter(options.InitialW2);
        var b = Parameter(options.InitialBias);
        var lr = options.LearningRate;

        QuadraticEpoch Record(int epoch)
        {
            double p1 = w1.item<double>(), p2 = w2.item<double>(), p0 = b.item<double>();
            var loss = x.Select((v, i) => Math.Pow(p1 * v + p2 * v * v + p0 - y[i], 2)).Average();
            return new QuadraticEpoch(epoch, p1, p2, p0, loss);
        }

        var history = new List<QuadraticEpoch> { Record(0) };
        Divergence? divergence = null;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            for (var i = 0; i < x.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var loss = (w1 * x[i] + w2 * (x[i] * x[i]) + b - y[i]).pow(2).sum();
                loss.backward();
                using (no_grad())
                {
                    w1.sub_(lr * w1.grad!);
                    if (options.Rule == QuadraticUpdateRule.Correct)
                        w2.sub_(lr * w2.grad!);
                    else
                        w2.copy_(w1 - lr * w2.grad!);
                    b.sub_(lr * b.grad!);
                    foreach (var p in new[] { w1, w2, b })
                        p.grad!.zero_();
                }
            }
            var record = Record(epoch);
            if (!double.IsFinite(record.Loss) || record.Loss > 1e6 * Math.Max(history[0].Loss, 1e-12))
            {
                divergence = new Divergence(epoch, record.Loss, $"Diverged in epoch {epoch}: the training loss is {record.Loss:G4}. Lower the learning rate ({lr}); x² makes the gradient of w2 large.");
                break;
            }
            history.Add(record);
        }
        var last = history[^1];
        return new QuadraticTrainingRun(options, history, last.W1 * 4 + last.W2 * 16 + last.Bias, divergence);
    }
}
