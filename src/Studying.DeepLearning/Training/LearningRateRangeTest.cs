using System.Globalization;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Plotting;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Training;

/// <summary>Settings of <see cref="LearningRateRangeTest.Run"/>.</summary>
public sealed record LearningRateRangeOptions
{
    /// <summary>The learning rate of the first step; above zero.</summary>
    public double StartLearningRate { get; init; } = 1e-6;

    /// <summary>The learning rate of the last step; above <see cref="StartLearningRate"/>.</summary>
    public double EndLearningRate { get; init; } = 1;

    /// <summary>Training steps (batches) over which the rate rises from start to end; at least two. The source's epochs repeat if it has fewer batches.</summary>
    public int Steps { get; init; } = 200;

    /// <summary>
    /// The optimiser (any first-order kind, with its momentum and weight decay); its <see cref="OptimizerSpec.LearningRate"/>
    /// is ignored, since the test sets the rate before every step. Default: SGD with momentum 0.9, as in Smith's paper.
    /// </summary>
    public OptimizerSpec Optimizer { get; init; } = new(OptimizerKind.Momentum, 1e-6);

    /// <summary>β of the bias-corrected exponential moving average of the loss, in [0, 1); zero for no smoothing.</summary>
    public double Smoothing { get; init; } = 0.98;

    /// <summary>Stop once the smoothed loss exceeds this multiple of its lowest value so far (the loss has blown up); above one.</summary>
    public double DivergenceFactor { get; init; } = 4;

    /// <summary>The run's randomness: step k of the source's epoch e draws dropout from <see cref="Trainer.EpochGenerator"/>(seed, e), as the trainer does.</summary>
    public long Seed { get; init; }

    /// <summary>Where the model runs, or <see langword="null"/> for <see cref="ComputeDevice.Current"/>.</summary>
    public Device? Device { get; init; }

    /// <summary>The loss on (logits, targets), or <see langword="null"/> for cross-entropy.</summary>
    public Func<Tensor, Tensor, Tensor>? Loss { get; init; }

    internal void Validate(string paramName)
    {
        if (!(StartLearningRate > 0) || !double.IsFinite(StartLearningRate))
            throw new ArgumentOutOfRangeException(paramName, StartLearningRate, "StartLearningRate must be a finite number above zero.");
        if (!(EndLearningRate > StartLearningRate) || !double.IsFinite(EndLearningRate))
            throw new ArgumentOutOfRangeException(paramName, EndLearningRate, $"EndLearningRate must be finite and above StartLearningRate ({StartLearningRate.ToString(CultureInfo.InvariantCulture)}).");
        if (Steps < 2)
            throw new ArgumentOutOfRangeException(paramName, Steps, "Steps: the range test needs at least two steps.");
        ArgumentNullException.ThrowIfNull(Optimizer, paramName);
        if (Optimizer.Kind == OptimizerKind.Lbfgs || !Enum.IsDefined(Optimizer.Kind))
            throw new ArgumentOutOfRangeException(paramName, Optimizer.Kind, "The range test supports the first-order optimisers only (not L-BFGS).");
        if (!(Smoothing >= 0 && Smoothing < 1))
            throw new ArgumentOutOfRangeException(paramName, Smoothing, "Smoothing (β) must lie in [0, 1).");
        if (!(DivergenceFactor > 1) || double.IsNaN(DivergenceFactor))
            throw new ArgumentOutOfRangeException(paramName, DivergenceFactor, "DivergenceFactor must be above one.");
    }
}

/// <summary>What <see cref="LearningRateRangeTest.Run"/> measured: one entry per step taken.</summary>
/// <param name="LearningRates">The rate of each step.</param>
/// <param name="Losses">The training loss of each step's batch, computed before that step's update.</param>
/// <param name="SmoothedLosses">The bias-corrected moving average of <paramref name="Losses"/>.</param>
/// <param name="StoppedEarly">True if the loss blew up (non-finite, or above the divergence factor times its best) before the last step.</param>
public sealed record LearningRateRangeResult(IReadOnlyList<double> LearningRates, IReadOnlyList<double> Losses, IReadOnlyList<double> SmoothedLosses, bool StoppedEarly)
{
    /// <summary>The step (from 0) with the lowest smoothed loss.</summary>
    public int BestStep
    {
        get
        {
            var best = 0;
            for (var i = 1; i < SmoothedLosses.Count; i++)
            {
                if (SmoothedLosses[i] < SmoothedLosses[best])
                    best = i;
            }
            return best;
        }
    }

    /// <summary>The rate at which the smoothed loss was lowest: just below where training starts to blow up.</summary>
    public double MinimumLossRate => LearningRates[BestStep];

    /// <summary>The rule of thumb's choice: a tenth of <see cref="MinimumLossRate"/>, an order of magnitude below the minimum.</summary>
    public double SuggestedLearningRate => MinimumLossRate / 10;
}

/// <summary>
/// Leslie Smith's learning-rate range test ("Cyclical learning rates for training neural networks", 2015/2017): train
/// for a few hundred steps while the learning rate rises exponentially from a tiny to a large value, record the loss of
/// every step, and read off the rates where the loss falls fastest and where it blows up. A good constant rate lies
/// about an order of magnitude below the rate of the lowest loss.
/// </summary>
public static class LearningRateRangeTest
{
    /// <summary>The rate of step <paramref name="step"/> of <paramref name="steps"/>: start·(end/start)^(step/(steps − 1)), so step 0 is start and the last step is end.</summary>
    /// <param name="step">The step, from 0 to steps − 1.</param>
    /// <param name="steps">Steps in the test; at least two.</param>
    /// <param name="start">The first rate; above zero.</param>
    /// <param name="end">The last rate; above zero.</param>
    public static double RateAt(int step, int steps, double start, double end)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, steps);
        Require.Positive(start, nameof(start));
        Require.Positive(end, nameof(end));
        return start * Math.Pow(end / start, step / (double)(steps - 1));
    }

    /// <summary>
    /// Runs the test: in train mode, one optimiser step per batch of <paramref name="source"/> (epoch 1, then 2, … if it
    /// runs out) at rate <see cref="RateAt"/>, until <see cref="LearningRateRangeOptions.Steps"/> steps or until the
    /// loss blows up. The model's weights and buffers (e.g. batch-norm running statistics) and its train/eval mode are
    /// restored afterwards, so it can then be trained from where it started.
    /// </summary>
    /// <param name="model">A classifier returning logits [batch, classes].</param>
    /// <param name="source">The training batches (shuffled as for training).</param>
    /// <param name="options">The range, steps, optimiser, smoothing and seed; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops between steps (the weights are still restored).</param>
    /// <exception cref="ArgumentException">Bad options, an empty source, or logits that do not fit the source's classes.</exception>
    public static LearningRateRangeResult Run(nn.Module<Tensor, Tensor> model, IBatchSource source, LearningRateRangeOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        options ??= new LearningRateRangeOptions();
        options.Validate(nameof(options));
        if (source.SampleCount <= 0)
            throw new ArgumentException($"The source is empty ({source.SampleCount} samples).", nameof(source));
        var classes = source.ClassNames?.Count ?? throw new ArgumentException("The source has no class names.", nameof(source));
        TorchRuntime.EnsureLoaded();
        var device = options.Device ?? ComputeDevice.Current;
        var loss = options.Loss ?? ((logits, targets) => nn.functional.cross_entropy(logits, targets));
        var wasTraining = model.training;
        model.to(device);
        var saved = Snapshot(model);
        var rates = new List<double>();
        var losses = new List<double>();
        var smoothed = new List<double>();
        var stoppedEarly = false;
        try
        {
            var settings = new TrainerOptions { Optimizer = options.Optimizer with { LearningRate = options.StartLearningRate } };
            using var optimizer = settings.CreateOptimizer(model.parameters());
            var groups = optimizer.ParamGroups.ToArray();
            model.train();
            double average = 0, best = double.PositiveInfinity;
            var step = 0;
            for (var epoch = 1; step < options.Steps && !stoppedEarly; epoch++)
            {
                using var generator = Trainer.EpochGenerator(options.Seed, epoch, device);
                using var ambient = TrainingRandom.Use(generator);
                var any = false;
                foreach (var item in source.GetBatches(epoch, cancellationToken))
                {
                    any = true;
                    using var batch = item;
                    cancellationToken.ThrowIfCancellationRequested();
                    var rate = RateAt(step, options.Steps, options.StartLearningRate, options.EndLearningRate);
                    foreach (var group in groups)
                        group.LearningRate = rate;
                    double value;
                    using (NewDisposeScope())
                    {
                        var inputs = batch.Inputs.to(device);
                        var targets = batch.Targets.to(device);
                        optimizer.zero_grad();
                        var logits = model.call(inputs);
                        if (logits.dim() != 2 || logits.shape[0] != batch.Count || logits.shape[1] != classes)
                            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                                $"The model's output has shape [{string.Join(", ", logits.shape)}], but logits [{batch.Count}, {classes}] were expected (one column per class of the source)."), nameof(model));
                        var objective = loss(logits, targets);
                        value = objective.ToDouble();
                        if (!double.IsFinite(value))
                        {
                            stoppedEarly = true;
                            break;
                        }
                        objective.backward();
                        optimizer.step();
                    }
                    average = options.Smoothing * average + (1 - options.Smoothing) * value;
                    var corrected = average / (1 - Math.Pow(options.Smoothing, step + 1));
                    rates.Add(rate);
                    losses.Add(value);
                    smoothed.Add(corrected);
                    best = Math.Min(best, corrected);
                    step++;
                    if (corrected > options.DivergenceFactor * best)
                    {
                        stoppedEarly = step < options.Steps;
                        break;
                    }
                    if (step == options.Steps)
                        break;
                }
                if (!any)
                    throw new ArgumentException($"The source yielded no batches in epoch {epoch} although it reports {source.SampleCount} samples.", nameof(source));
            }
            if (rates.Count == 0)
                throw new ArgumentException("The loss of the very first step was not finite; check the inputs and the model before testing learning rates.", nameof(model));
        }
        finally
        {
            model.load_state_dict(saved);
            foreach (var tensor in saved.Values)
                tensor.Dispose();
            model.train(wasTraining);
        }
        return new LearningRateRangeResult(rates, losses, smoothed, stoppedEarly);
    }

    /// <summary>
    /// The loss against the learning rate on a logarithmic axis: every step's loss (markers), the smoothed loss (line),
    /// and vertical lines at the rate of the lowest smoothed loss and at the suggested rate a tenth of it. The vertical
    /// axis runs from zero to 1.25 times the first smoothed loss, so the blow-up at the end does not flatten the rest.
    /// </summary>
    /// <param name="result">A test's result.</param>
    /// <param name="title">The chart title.</param>
    public static Figure Chart(LearningRateRangeResult result, string title = "Learning-rate range test")
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.LearningRates.Count == 0)
            throw new ArgumentException("The result holds no steps.", nameof(result));
        var top = 1.25 * Math.Max(result.SmoothedLosses[0], result.SmoothedLosses[result.BestStep]);
        double minimum = result.MinimumLossRate, suggested = result.SuggestedLearningRate;
        return new Figure(title,
                Trace.Markers("loss of each step", result.LearningRates, result.Losses) with { Color = "#9ecae1" },
                Trace.Line("smoothed loss", result.LearningRates, result.SmoothedLosses) with { Color = "#08519c" },
                Trace.Line(string.Create(CultureInfo.InvariantCulture, $"lowest smoothed loss (lr {minimum:G3})"), [minimum, minimum], [0, top]) with { Color = "#d62728", Dash = LineDash.Dash },
                Trace.Line(string.Create(CultureInfo.InvariantCulture, $"suggested lr {suggested:G3} (a tenth)"), [suggested, suggested], [0, top]) with { Color = "#2ca02c", Dash = LineDash.Dot })
        {
            XAxis = new Axis("learning rate", Logarithmic: true),
            YAxis = new Axis("training loss", Range: (0, top)),
        };
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module model)
    {
        using var noGrad = no_grad();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }
}
