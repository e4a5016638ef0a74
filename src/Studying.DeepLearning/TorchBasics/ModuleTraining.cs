using Studying.DeepLearning.GradientDescent;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>Settings of <see cref="ModuleTraining.Train"/>.</summary>
/// <param name="LearningRate">The <c>optim.SGD</c> learning rate; positive.</param>
/// <param name="Epochs">Full-batch updates; at least one.</param>
/// <param name="Reduction">
/// How the squared errors are combined: <see cref="nn.Reduction.Sum"/> as the original (<c>MSELoss(size_average=False)</c>),
/// which makes the gradient n times that of the mean.
/// </param>
public sealed record ModuleTrainingOptions(double LearningRate = 0.01, int Epochs = 500, nn.Reduction Reduction = nn.Reduction.Sum);

/// <summary>A run of <see cref="ModuleTraining.Train"/>.</summary>
/// <param name="Options">The settings used.</param>
/// <param name="ParameterNames">The model's parameter names (e.g. <c>linear.weight</c>, or <c>0.weight</c> in a Sequential).</param>
/// <param name="InitialParameters">Every parameter value before training, flattened in <c>parameters()</c> order.</param>
/// <param name="FinalParameters">The same after training.</param>
/// <param name="Losses">The loss before each update, and after the last (Epochs + 1 values unless stopped).</param>
/// <param name="PredictionAtFour">The trained model's output for x = 4.</param>
/// <param name="Divergence">Why the run was stopped early, or <see langword="null"/>.</param>
public sealed record ModuleTrainingRun(ModuleTrainingOptions Options, IReadOnlyList<string> ParameterNames, IReadOnlyList<double> InitialParameters,
    IReadOnlyList<double> FinalParameters, IReadOnlyList<double> Losses, double PredictionAtFour, Divergence? Divergence);

/// <summary>
/// Notebook 2-3: a model as an <c>nn.Module</c>, trained with <c>MSELoss</c> and <c>optim.SGD</c> — the
/// zero_grad / forward / loss / backward / step loop every later chapter uses. Works for any module mapping
/// [n, 1] to [n, 1], such as <see cref="LinearRegressionModule"/> or <see cref="CreateSequential"/>'s model.
/// </summary>
public static class ModuleTraining
{
    /// <summary>The same model as <see cref="LinearRegressionModule"/>, written as <c>nn.Sequential(nn.Linear(1, 1))</c>.</summary>
    /// <param name="dtype">The parameters' element type.</param>
    public static Sequential CreateSequential(ScalarType dtype = ScalarType.Float64)
    {
        TorchRuntime.EnsureLoaded();
        return nn.Sequential(nn.Linear(1, 1, dtype: dtype));
    }

    /// <summary>The number of trainable values in a module (2 for Linear(1, 1): one weight, one bias).</summary>
    /// <param name="module">The module.</param>
    public static long CountParameters(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
    }

    /// <summary>Copies every parameter of <paramref name="source"/> into <paramref name="target"/>, so two models start alike.</summary>
    /// <param name="source">The model to copy from.</param>
    /// <param name="target">The model to copy into; its parameters must match in number and shapes.</param>
    /// <exception cref="ArgumentException">The parameters do not match.</exception>
    public static void CopyParameters(nn.Module source, nn.Module target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var from = source.parameters().ToArray();
        var to = target.parameters().ToArray();
        if (from.Length != to.Length)
            throw new ArgumentException($"The source has {from.Length} parameters but the target has {to.Length}; they must match one to one.", nameof(target));
        for (var i = 0; i < from.Length; i++)
        {
            if (!from[i].shape.SequenceEqual(to[i].shape))
                throw new ArgumentException($"Parameter {i} has shape [{string.Join(", ", from[i].shape)}] in the source but [{string.Join(", ", to[i].shape)}] in the target.", nameof(target));
        }
        using var noGrad = no_grad();
        for (var i = 0; i < from.Length; i++)
            to[i].copy_(from[i]);
    }

    /// <summary>Trains <paramref name="model"/> on (x, y) with full-batch SGD and returns its parameters and losses.</summary>
    /// <param name="model">A module mapping [n, 1] to [n, 1] whose first and last Linear layers have 1 input and 1 output.</param>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Targets, one per input.</param>
    /// <param name="options">Learning rate, epochs and loss reduction.</param>
    /// <param name="progress">Receives (epoch, loss) after each update, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between updates.</param>
    /// <exception cref="ArgumentException">The model does not take one input feature or give one output.</exception>
    public static ModuleTrainingRun Train(nn.Module<Tensor, Tensor> model, IReadOnlyList<double> x, IReadOnlyList<double> y, ModuleTrainingOptions options,
        IProgress<(int Epoch, double Loss)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        LessonArguments.Data(x, y, nameof(x), nameof(y));
        ArgumentNullException.ThrowIfNull(options);
        LessonArguments.Schedule(options.LearningRate, options.Epochs, nameof(options.LearningRate), nameof(options.Epochs));
        TorchRuntime.EnsureLoaded();
        // A shape mismatch inside a native matmul would abort the process, so check the layers before the first forward.
        var linears = model.modules().OfType<Linear>().ToArray();
        if (linears.Length > 0 && (linears[0].in_features != 1 || linears[^1].out_features != 1))
            throw new ArgumentException($"The model's first Linear layer takes {linears[0].in_features} features and its last gives {linears[^1].out_features}; this trainer feeds one feature per sample and expects one output (Linear(1, …) … Linear(…, 1)).", nameof(model));
        var parameters = model.parameters().ToArray();
        if (parameters.Length == 0)
            throw new ArgumentException("The model has no parameters; did its constructor call RegisterComponents()?", nameof(model));

        using var outer = NewDisposeScope();
        var dtype = parameters[0].dtype;
        var inputs = tensor(x.ToArray(), [x.Count, 1], dtype: dtype);
        var targets = tensor(y.ToArray(), [y.Count, 1], dtype: dtype);
        var names = model.named_parameters().Select(p => p.name).ToArray();
        var initial = Flatten(parameters);
        using var criterion = nn.MSELoss(options.Reduction);
        using var optimizer = optim.SGD(model.parameters(), options.LearningRate);

        var losses = new List<double>();
        Divergence? divergence = null;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var output = model.forward(inputs);
            if (!output.shape.SequenceEqual(targets.shape))
                throw new ArgumentException($"The model returned shape [{string.Join(", ", output.shape)}] for inputs of shape [{x.Count}, 1]; it must return [{x.Count}, 1].", nameof(model));
            var loss = criterion.forward(output, targets);
            var value = loss.item<double>();
            losses.Add(value);
            if (!double.IsFinite(value) || value > 1e6 * Math.Max(losses[0], 1e-12))
            {
                divergence = new Divergence(epoch - 1, value, $"Diverged after {epoch - 1} updates: the loss is {value:G4}. Lower the learning rate ({options.LearningRate}).");
                break;
            }
            loss.backward();
            optimizer.step();
            progress?.Report((epoch, value));
        }

        double prediction;
        using (no_grad())
        {
            if (divergence is null)
                losses.Add(criterion.forward(model.forward(inputs), targets).item<double>());
            prediction = model.forward(tensor(new[] { ManualAutogradTraining.QueryInput }, [1, 1], dtype: dtype)).to_type(ScalarType.Float64).item<double>();
        }
        return new ModuleTrainingRun(options, names, initial, Flatten(model.parameters().ToArray()), losses, prediction, divergence);
    }

    private static double[] Flatten(Tensor[] parameters) =>
        parameters.SelectMany(p => p.detach().to_type(ScalarType.Float64).contiguous().data<double>().ToArray()).ToArray();
}
