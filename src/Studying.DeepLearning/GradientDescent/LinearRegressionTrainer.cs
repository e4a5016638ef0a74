using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.GradientDescent;

/// <summary>Settings for <see cref="LinearRegressionTrainer.Fit"/>.</summary>
/// <param name="LearningRate">SGD step size; positive.</param>
/// <param name="Epochs">Full-batch updates; at least one.</param>
/// <param name="Seed">Seed of the weight initialisation.</param>
public sealed record LinearTrainingOptions(double LearningRate = 0.01, int Epochs = 1000, long Seed = 0)
{
    /// <summary>Stop as divergent when the loss exceeds this multiple of the initial loss, or is not finite.</summary>
    public double DivergenceFactor { get; init; } = 1e6;
}

/// <summary>The result of a TorchSharp linear-regression fit.</summary>
/// <param name="Model">The fitted weights and bias (the last finite ones for a divergent run).</param>
/// <param name="Losses">The training MSE before each update (index 0 is the initial loss).</param>
/// <param name="Divergence">Where and why the run was stopped, or <see langword="null"/> if it ran to the end.</param>
public sealed record LinearTrainingRun(LinearModel Model, IReadOnlyList<double> Losses, Divergence? Divergence)
{
    /// <summary>Whether the run was stopped as divergent.</summary>
    public bool Diverged => Divergence is not null;
}

/// <summary>
/// Fits ŷ = w·x + b with TorchSharp the way the original notebooks did — <c>nn.Linear(d, 1)</c>, MSE loss,
/// <c>optim.SGD</c>, full batch — in double precision so the result can be compared with
/// <see cref="LeastSquares"/> to tight tolerance. Each step runs in its own dispose scope, so memory stays flat.
/// </summary>
public static class LinearRegressionTrainer
{
    /// <summary>Trains and returns the loss history; a diverging run stops at the step that blew up.</summary>
    /// <param name="data">Features and targets.</param>
    /// <param name="options">Learning rate, epochs and seed.</param>
    /// <param name="progress">Receives (epoch, loss) after each update, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops training between updates.</param>
    public static LinearTrainingRun Fit(RegressionData data, LinearTrainingOptions options, IProgress<(int Epoch, double Loss)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        Infrastructure.Require.Positive(options.LearningRate, nameof(options.LearningRate));
        if (options.Epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, "At least one epoch is needed.");
        TorchRuntime.EnsureLoaded();

        int n = data.Count, d = data.Features.GetLength(1);
        var flat = new double[n * d];
        Buffer.BlockCopy(data.Features, 0, flat, 0, flat.Length * sizeof(double));

        using var outer = NewDisposeScope();
        torch.random.manual_seed(options.Seed);
        var x = tensor(flat, [n, d], dtype: ScalarType.Float64);
        var y = tensor(data.Targets.ToArray(), [n, 1], dtype: ScalarType.Float64);
        using var model = nn.Linear(d, 1, dtype: ScalarType.Float64);
        using var optimizer = optim.SGD(model.parameters(), options.LearningRate);

        var losses = new List<double>();
        var last = Snapshot(model);
        Divergence? divergence = null;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(x), y);
            var value = loss.item<double>();
            losses.Add(value);
            if (!double.IsFinite(value) || value > losses[0] * options.DivergenceFactor)
            {
                divergence = new Divergence(epoch - 1, value,
                    $"Diverged after {epoch - 1} update{(epoch == 2 ? "" : "s")}: the training loss is {value:G4}{(double.IsFinite(value) ? $", over {options.DivergenceFactor:G3} × the initial {losses[0]:G4}" : "")}. Scale the features or lower the learning rate ({options.LearningRate}).");
                break;
            }
            last = Snapshot(model);
            loss.backward();
            optimizer.step();
            progress?.Report((epoch, value));
        }
        if (divergence is null)
        {
            using var scope = NewDisposeScope();
            using (no_grad())
                losses.Add(nn.functional.mse_loss(model.forward(x), y).item<double>());
            last = Snapshot(model);
        }
        return new LinearTrainingRun(last, losses, divergence);
    }

    private static LinearModel Snapshot(TorchSharp.Modules.Linear linear)
    {
        var weights = linear.weight!.data<double>().ToArray();
        var bias = linear.bias!.data<double>()[0];
        return new LinearModel(weights, bias);
    }
}
