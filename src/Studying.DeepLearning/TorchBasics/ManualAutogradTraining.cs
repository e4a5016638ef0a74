using Studying.DeepLearning.GradientDescent;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>Settings of <see cref="ManualAutogradTraining.Train"/>.</summary>
/// <param name="LearningRate">Step size in w ← w − η·w.grad; positive.</param>
/// <param name="Epochs">Passes over the data (one update per sample); at least one.</param>
/// <param name="InitialWeight">The starting w (the original: 1.0).</param>
/// <param name="ZeroGradients">
/// Whether w.grad is zeroed after each update, as it must be. With <see langword="false"/> every backward() adds
/// to the gradients of all earlier steps, so each update uses a running sum of old gradients.
/// </param>
public sealed record ManualTrainingOptions(double LearningRate = 0.01, int Epochs = 10, double InitialWeight = 1.0, bool ZeroGradients = true);

/// <summary>One update of w.</summary>
/// <param name="Step">1-based update number.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="X">The sample's input.</param>
/// <param name="Y">The sample's target.</param>
/// <param name="WeightBefore">w before the update.</param>
/// <param name="Loss">(x·w − y)² before the update.</param>
/// <param name="Gradient">w.grad as used by the update (the running sum if gradients are not zeroed).</param>
/// <param name="WeightAfter">w after the update.</param>
public sealed record WeightUpdate(int Step, int Epoch, double X, double Y, double WeightBefore, double Loss, double Gradient, double WeightAfter);

/// <summary>A run of <see cref="ManualAutogradTraining.Train"/>.</summary>
/// <param name="Options">The settings used.</param>
/// <param name="Updates">Every update in order.</param>
/// <param name="PredictionBefore">x·w at x = 4 before training.</param>
/// <param name="PredictionAfter">x·w at x = 4 after training (with the last finite w for a divergent run).</param>
/// <param name="Divergence">Why the run was stopped early, or <see langword="null"/>.</param>
public sealed record ManualTrainingRun(ManualTrainingOptions Options, IReadOnlyList<WeightUpdate> Updates, double PredictionBefore, double PredictionAfter, Divergence? Divergence)
{
    /// <summary>The last weight reached.</summary>
    public double FinalWeight => PredictionAfter / ManualAutogradTraining.QueryInput;
}

/// <summary>
/// Notebook 2-2: ŷ = x·w with a single weight w that <c>requires_grad</c>; the squared error's gradient comes from
/// <c>loss.backward()</c>, and the update <c>w -= η·w.grad</c> is made by hand under <c>no_grad()</c>, one sample at a
/// time. Computed in float64 (the original used float32, hence its 7.804863929… against our 7.804863933…).
/// </summary>
public static class ManualAutogradTraining
{
    /// <summary>The input whose prediction is reported: 4 (the answer should be 8 on y = 2x).</summary>
    public const double QueryInput = 4;

    /// <summary>The original's inputs, [1, 2, 3].</summary>
    public static IReadOnlyList<double> ToyInputs { get; } = [1, 2, 3];

    /// <summary>The original's targets, y = 2x.</summary>
    public static IReadOnlyList<double> ToyTargets { get; } = [2, 4, 6];

    /// <summary>Trains w and records every update.</summary>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Targets, one per input.</param>
    /// <param name="options">Learning rate, epochs, start, and whether to zero the gradients.</param>
    /// <param name="cancellationToken">Stops between updates.</param>
    public static ManualTrainingRun Train(IReadOnlyList<double> x, IReadOnlyList<double> y, ManualTrainingOptions options, CancellationToken cancellationToken = default)
    {
        LessonArguments.Data(x, y, nameof(x), nameof(y));
        ArgumentNullException.ThrowIfNull(options);
        LessonArguments.Schedule(options.LearningRate, options.Epochs, nameof(options.LearningRate), nameof(options.Epochs));
        LessonArguments.Finite(options.InitialWeight, nameof(options.InitialWeight));
        TorchRuntime.EnsureLoaded();

        using var outer = NewDisposeScope();
        var w = tensor(new[] { options.InitialWeight }, dtype: ScalarType.Float64, requires_grad: true);
        var updates = new List<WeightUpdate>();
        Divergence? divergence = null;
        var firstLoss = double.NaN;
        var step = 0;
        for (var epoch = 1; epoch <= options.Epochs && divergence is null; epoch++)
        {
            for (var i = 0; i < x.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                step++;
                var before = w.item<double>();
                var prediction = x[i] * w;
                var loss = (prediction - y[i]).pow(2).sum();
                loss.backward();
                var value = loss.item<double>();
                var gradient = w.grad!.item<double>();
                if (step == 1)
                    firstLoss = value;
                if (!double.IsFinite(value) || !double.IsFinite(gradient) || value > 1e6 * Math.Max(firstLoss, 1e-12))
                {
                    divergence = new Divergence(step - 1, value,
                        $"Diverged at update {step}: the loss is {value:G4} and the gradient {gradient:G4}{(options.ZeroGradients ? "" : " (gradients were never zeroed, so they piled up)")}.");
                    break;
                }
                using (no_grad())
                {
                    w.sub_(options.LearningRate * w.grad!);
                    if (options.ZeroGradients)
                        w.grad!.zero_();
                }
                updates.Add(new WeightUpdate(step, epoch, x[i], y[i], before, value, gradient, w.item<double>()));
            }
        }
        var final = updates.Count > 0 ? updates[^1].WeightAfter : options.InitialWeight;
        return new ManualTrainingRun(options, updates, QueryInput * options.InitialWeight, QueryInput * final, divergence);
    }
}
