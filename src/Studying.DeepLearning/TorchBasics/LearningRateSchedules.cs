using static TorchSharp.torch.optim;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>A learning-rate schedule applied to SGD: the rate and the loss at every step.</summary>
/// <param name="Schedule">The schedule's name and settings.</param>
/// <param name="LearningRates">The learning rate of each update.</param>
/// <param name="Losses">f before the first update and after each update.</param>
public sealed record ScheduleRun(string Schedule, IReadOnlyList<double> LearningRates, IReadOnlyList<double> Losses);

/// <summary>
/// <c>optim.lr_scheduler</c> shown on plain SGD over <see cref="TestFunction.IllConditionedQuadratic"/>: constant,
/// StepLR (halve every quarter of the run) and CosineAnnealingLR (from lr to 0 over the run), each scheduler stepped
/// once after every optimiser step.
/// </summary>
public static class LearningRateSchedules
{
    /// <summary>The starting learning rate: close to the stability limit 2/25 = 0.08, where y oscillates (factor |1 − 25·0.075| = 0.875) while x creeps (factor 0.925).</summary>
    public const double InitialLearningRate = 0.075;

    /// <summary>Runs SGD with the three schedules for <paramref name="steps"/> updates.</summary>
    /// <param name="steps">Updates per run; at least 4 (StepLR halves every steps/4).</param>
    /// <param name="cancellationToken">Stops between updates.</param>
    public static IReadOnlyList<ScheduleRun> Compare(int steps = 120, CancellationToken cancellationToken = default)
    {
        if (steps < 4)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "At least 4 steps are needed.");
        var function = TestFunction.IllConditionedQuadratic;
        var sgd = new OptimizerSpec(OptimizerKind.Sgd, InitialLearningRate);
        var period = steps / 4;
        return
        [
            Run("constant", null),
            Run($"StepLR (×0.5 every {period} steps)", o => lr_scheduler.StepLR(o, period, 0.5)),
            Run($"CosineAnnealingLR (T_max = {steps})", o => lr_scheduler.CosineAnnealingLR(o, steps)),
        ];

        ScheduleRun Run(string name, Func<Optimizer, lr_scheduler.LRScheduler>? schedule)
        {
            var path = OptimizerTrajectory.Run(function, sgd, steps, schedule, cancellationToken);
            return new ScheduleRun(name, path.LearningRates, path.Points.Select(p => p.Value).ToArray());
        }
    }
}
