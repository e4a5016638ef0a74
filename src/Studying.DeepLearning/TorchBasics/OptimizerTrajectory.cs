using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>
/// Runs one <c>torch.optim</c> optimiser on a <see cref="TestFunction"/> in float64, the parameters being a single
/// 2-element tensor [x, y], and records the path. Every update runs in its own dispose scope.
/// </summary>
public static class OptimizerTrajectory
{
    /// <summary>Stop as divergent when f exceeds this multiple of its starting value (or is not finite).</summary>
    public const double DivergenceFactor = 1e6;

    /// <summary>Minimises <paramref name="function"/> from its start with <paramref name="optimizer"/> for <paramref name="steps"/> updates.</summary>
    /// <param name="function">The function.</param>
    /// <param name="optimizer">The optimiser and its learning rate.</param>
    /// <param name="steps">Updates to make; at least one.</param>
    /// <param name="cancellationToken">Stops between updates.</param>
    public static OptimizerPath Run(TestFunction function, OptimizerSpec optimizer, int steps, CancellationToken cancellationToken = default) =>
        Run(function, optimizer, steps, schedule: null, cancellationToken);

    /// <summary>As <see cref="Run(TestFunction, OptimizerSpec, int, CancellationToken)"/>, with a learning-rate scheduler stepped after every update.</summary>
    internal static OptimizerPath Run(TestFunction function, OptimizerSpec optimizer, int steps, Func<Optimizer, lr_scheduler.LRScheduler>? schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(optimizer);
        Validate(optimizer);
        if (steps < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "At least one step is needed.");
        TorchRuntime.EnsureLoaded();

        using var outer = NewDisposeScope();
        var p = new Parameter(tensor(new[] { function.Start.X, function.Start.Y }, dtype: ScalarType.Float64));
        using var opt = Create(optimizer, p);
        var scheduler = schedule?.Invoke(opt);

        var start = function.Value(function.Start.X, function.Start.Y);
        var points = new List<PathPoint> { new(0, function.Start.X, function.Start.Y, start) };
        var rates = new List<double>();
        var diverged = false;
        for (var step = 1; step <= steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            rates.Add(opt.ParamGroups.First().LearningRate);
            Tensor Closure()
            {
                opt.zero_grad();
                var loss = function.Evaluate(p);
                loss.backward();
                return loss;
            }
            if (optimizer.Kind == OptimizerKind.Lbfgs)
            {
                opt.step(Closure);
            }
            else
            {
                Closure();
                opt.step();
            }
            scheduler?.step();
            var xy = p.data<double>().ToArray();
            var f = function.Value(xy[0], xy[1]);
            points.Add(new PathPoint(step, xy[0], xy[1], f));
            if (!double.IsFinite(f) || !double.IsFinite(xy[0]) || !double.IsFinite(xy[1]) || f > DivergenceFactor * Math.Max(start, 1))
            {
                diverged = true;
                break;
            }
        }
        return new OptimizerPath(function.Name, optimizer, points, rates, function.MinimumValue, diverged);
    }

    private static void Validate(OptimizerSpec spec)
    {
        Infrastructure.Require.Positive(spec.LearningRate, nameof(spec.LearningRate));
        if (!Enum.IsDefined(spec.Kind))
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "Unknown optimiser.");
        if (!(spec.Momentum >= 0 && spec.Momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Momentum, "Momentum must lie in [0, 1).");
        if (!(spec.WeightDecay >= 0) || !double.IsFinite(spec.WeightDecay))
            throw new ArgumentOutOfRangeException(nameof(spec), spec.WeightDecay, "Weight decay must be a finite number, zero or greater.");
        if (spec.Kind == OptimizerKind.Lbfgs && spec.WeightDecay != 0)
            throw new ArgumentException("L-BFGS has no weight decay.", nameof(spec));
    }

    private static Optimizer Create(OptimizerSpec spec, Parameter p)
    {
        Parameter[] ps = [p];
        return spec.Kind switch
        {
            OptimizerKind.Sgd => SGD(ps, spec.LearningRate, weight_decay: spec.WeightDecay),
            OptimizerKind.Momentum => SGD(ps, spec.LearningRate, momentum: spec.Momentum, weight_decay: spec.WeightDecay),
            OptimizerKind.Nesterov => SGD(ps, spec.LearningRate, momentum: spec.Momentum, weight_decay: spec.WeightDecay, nesterov: true),
            OptimizerKind.Adagrad => Adagrad(ps, spec.LearningRate, weight_decay: spec.WeightDecay),
            OptimizerKind.RmsProp => RMSProp(ps, spec.LearningRate, weight_decay: spec.WeightDecay),
            OptimizerKind.Adam => Adam(ps, spec.LearningRate, weight_decay: spec.WeightDecay),
            OptimizerKind.AdamW => AdamW(ps, spec.LearningRate, weight_decay: spec.WeightDecay),
            _ => LBFGS(ps, spec.LearningRate, max_iter: 1, history_size: 10),
        };
    }
}
