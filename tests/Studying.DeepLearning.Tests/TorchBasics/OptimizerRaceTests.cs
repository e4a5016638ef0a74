using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.TorchBasics;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Tests.TorchBasics;

[Trait("Tier", "unit")]
[Collection(ImplicitScalarRace.Name)]
public class OptimizerRaceTests
{
    private static readonly TestFunction Quadratic = TestFunction.IllConditionedQuadratic;
    private static readonly TestFunction Rosenbrock = TestFunction.Rosenbrock;

    [Fact]
    public void HandWrittenGradients_MatchCentralDifferences()
    {
        foreach (var f in new[] { Quadratic, Rosenbrock })
        {
            foreach (var (x, y) in new[] { (-1.2, 1.0), (0.3, -0.7), (1.0, 1.0), (2.5, 0.1) })
            {
                const double h = 1e-6;
                var (dx, dy) = f.Gradient(x, y);
                Assert.Equal((f.Value(x + h, y) - f.Value(x - h, y)) / (2 * h), dx, 4);
                Assert.Equal((f.Value(x, y + h) - f.Value(x, y - h)) / (2 * h), dy, 4);
            }
            Assert.Equal(0, f.MinimumValue);
            Assert.Equal((0.0, 0.0), f.Gradient(f.Minimum.X, f.Minimum.Y));
        }
    }

    [Fact]
    public void OneSgdStep_IsTheHandComputedUpdate()
    {
        // From (−4, 1.5) with lr 0.05: (x, y) − 0.05·(x, 25y) = (−3.8, −0.375).
        var path = OptimizerTrajectory.Run(Quadratic, new OptimizerSpec(OptimizerKind.Sgd, 0.05), 1);
        Assert.Equal(-3.8, path.Final.X, 12);
        Assert.Equal(-0.375, path.Final.Y, 12);
        Assert.Equal(Quadratic.Value(-3.8, -0.375), path.Final.Value, 12);
    }

    [Fact]
    public void SgdOnTheQuadratic_ContractsEachCoordinateByItsOwnFactor()
    {
        // Plain GD on ½(x² + 25y²): x_t = (1 − lr)^t x₀, y_t = (1 − 25 lr)^t y₀ — exactly.
        const double lr = 0.07;
        var path = OptimizerTrajectory.Run(Quadratic, new OptimizerSpec(OptimizerKind.Sgd, lr), 60);
        foreach (var p in path.Points)
        {
            Assert.Equal(-4 * Math.Pow(1 - lr, p.Step), p.X, 10);
            Assert.Equal(1.5 * Math.Pow(1 - 25 * lr, p.Step), p.Y, 10);
        }
    }

    [Fact]
    public void SgdAboveTheStabilityLimit_DivergesAndIsStopped()
    {
        // |1 − 25·0.1| = 1.5 > 1: the y-term 28.125·2.25ᵗ of f grows, the x-term shrinks; the run is stopped at the
        // first t with f > 10⁶ × f₀ = 3.6125·10⁷, i.e. 2.25ᵗ > 1.28·10⁶: t = 18.
        var path = OptimizerTrajectory.Run(Quadratic, new OptimizerSpec(OptimizerKind.Sgd, 0.1), 500);
        Assert.True(path.Diverged);
        Assert.Equal(18, path.Final.Step);
        Assert.True(path.Points[^2].Value <= 1e6 * 36.125 && path.Final.Value > 1e6 * 36.125);
        Assert.Null(path.StepsTo(OptimizerRace.Tolerance));
    }

    [Fact]
    public void StepsTo_CountsOnlyAPathThatStaysBelowTheTolerance()
    {
        PathPoint[] points = [new(0, 0, 0, 5), new(1, 0, 0, 1e-8), new(2, 0, 0, 0.5), new(3, 0, 0, 1e-7), new(4, 0, 0, 1e-9)];
        var path = new OptimizerPath("f", new OptimizerSpec(OptimizerKind.Sgd, 0.1), points, [0.1, 0.1, 0.1, 0.1], 0, Diverged: false);
        Assert.Equal(3, path.StepsTo(1e-6));
        Assert.Null(path.StepsTo(1e-10));
        Assert.Equal(0, path.StepsTo(10));
    }

    [Fact]
    public void ScratchMomentumSgd_MatchesTorchSharpStepForStep()
    {
        AssertSamePath(new OptimizerSpec(OptimizerKind.Momentum, 1e-3), new ScratchMomentumSgd(1e-3, 0.9));
        AssertSamePath(new OptimizerSpec(OptimizerKind.Momentum, 1e-3) { WeightDecay = 0.1 }, new ScratchMomentumSgd(1e-3, 0.9, 0.1));
        AssertSamePath(new OptimizerSpec(OptimizerKind.Momentum, 2e-4) { Momentum = 0.5 }, new ScratchMomentumSgd(2e-4, 0.5));
    }

    [Fact]
    public void ScratchAdam_MatchesTorchSharpStepForStep_WithL2AndDecoupledDecay()
    {
        AssertSamePath(new OptimizerSpec(OptimizerKind.Adam, 0.05), new ScratchAdam(0.05));
        AssertSamePath(new OptimizerSpec(OptimizerKind.Adam, 0.05) { WeightDecay = 0.1 }, new ScratchAdam(0.05, weightDecay: 0.1));
        AssertSamePath(new OptimizerSpec(OptimizerKind.AdamW, 0.05) { WeightDecay = 0.1 }, new ScratchAdam(0.05, weightDecay: 0.1, decoupled: true));

        // The two kinds of decay are really different updates: L2 decay goes through Adam's normalisation, decoupled decay does not.
        var l2 = ScratchDescent.Run(Rosenbrock, new ScratchAdam(0.05, weightDecay: 0.1), 100);
        var decoupled = ScratchDescent.Run(Rosenbrock, new ScratchAdam(0.05, weightDecay: 0.1, decoupled: true), 100);
        Assert.True(Math.Abs(l2[^1].X - decoupled[^1].X) + Math.Abs(l2[^1].Y - decoupled[^1].Y) > 1e-3);
    }

    private static void AssertSamePath(OptimizerSpec spec, IScratchOptimizer scratch)
    {
        const int steps = 100;
        var torch = OptimizerTrajectory.Run(Rosenbrock, spec, steps).Points;
        var ours = ScratchDescent.Run(Rosenbrock, scratch, steps);
        Assert.Equal(steps + 1, torch.Count);
        Assert.Equal(steps + 1, ours.Count);
        for (var i = 0; i <= steps; i++)
        {
            Assert.True(Math.Abs(torch[i].X - ours[i].X) <= 1e-6 && Math.Abs(torch[i].Y - ours[i].Y) <= 1e-6,
                $"{spec.Label} step {i}: TorchSharp ({torch[i].X}, {torch[i].Y}), ours ({ours[i].X}, {ours[i].Y})");
        }
        // A non-trivial path: it moved well away from the start.
        Assert.True(Math.Abs(ours[^1].X - Rosenbrock.Start.X) + Math.Abs(ours[^1].Y - Rosenbrock.Start.Y) > 0.05);
    }

    [Fact]
    public void Lbfgs_SolvesTheQuadraticInAFewSteps_AndRosenbrock()
    {
        var quadratic = OptimizerTrajectory.Run(Quadratic, new OptimizerSpec(OptimizerKind.Lbfgs, 1), 30);
        Assert.InRange(quadratic.StepsTo(1e-10) ?? int.MaxValue, 2, 30);
        var rosenbrock = OptimizerTrajectory.Run(Rosenbrock, new OptimizerSpec(OptimizerKind.Lbfgs, 0.5), 200);
        Assert.False(rosenbrock.Diverged);
        Assert.Equal(1, rosenbrock.Final.X, 3);
        Assert.Equal(1, rosenbrock.Final.Y, 3);
    }

    [Fact]
    public void LearningRateSchedulers_FollowTheirClosedForms()
    {
        const int steps = 40;
        var runs = LearningRateSchedules.Compare(steps);
        const double lr0 = LearningRateSchedules.InitialLearningRate;
        Assert.All(runs[0].LearningRates, lr => Assert.Equal(lr0, lr, 15));
        for (var t = 0; t < steps; t++)
        {
            Assert.Equal(lr0 * Math.Pow(0.5, t / (steps / 4)), runs[1].LearningRates[t], 12);
            Assert.Equal(lr0 * (1 + Math.Cos(Math.PI * t / steps)) / 2, runs[2].LearningRates[t], 12);
        }
        // The constant run is plain SGD: its losses follow the per-coordinate contraction.
        Assert.Equal(0.5 * (16 * Math.Pow(1 - lr0, 2 * steps) + 25 * 2.25 * Math.Pow(1 - 25 * lr0, 2 * steps)), runs[0].Losses[^1], 12);
    }

    [Fact]
    public void Sweep_PicksTheContestantsLearningRate()
    {
        foreach (var kind in new[] { OptimizerKind.Sgd, OptimizerKind.Lbfgs })
        {
            var best = OptimizerRace.Best(OptimizerRace.Sweep(Quadratic, kind));
            Assert.Equal(OptimizerRace.Contestants(Quadratic).Single(c => c.Kind == kind).LearningRate, best.LearningRate);
        }
        // SGD's stability limit on the quadratic is 2/25 = 0.08: 0.05 survives, 0.1 and above diverge.
        var sgd = OptimizerRace.Sweep(Quadratic, OptimizerKind.Sgd, [0.05, 0.1, 0.2]);
        Assert.Equal([false, true, true], sgd.Select(e => e.Diverged));
    }

    [Fact]
    public void Run_ProducesTheTableThePathsAndTheCharts()
    {
        var report = OptimizerRace.Run();

        Assert.Equal(16, report.Results.Count);
        Assert.Equal(16, report.Paths.Count);
        Assert.Equal(8, report.Results.Count(r => r.Function == Rosenbrock.Name));
        // What the race is meant to show: L-BFGS arrives first on both; plain SGD does not reach Rosenbrock's minimum in 1000 steps.
        foreach (var name in new[] { Quadratic.Name, Rosenbrock.Name })
        {
            var rows = report.Results.Where(r => r.Function == name).ToArray();
            var lbfgs = rows.Single(r => r.Kind == OptimizerKind.Lbfgs).StepsToTolerance!.Value;
            Assert.All(rows.Where(r => r.Kind is not (OptimizerKind.Lbfgs or OptimizerKind.Adagrad or OptimizerKind.RmsProp)),
                r => Assert.True(r.StepsToTolerance is null || r.StepsToTolerance > lbfgs, $"{r.Optimizer}: {r.Outcome}"));
        }
        Assert.Null(report.Results.Single(r => r.Function == Rosenbrock.Name && r.Kind == OptimizerKind.Sgd).StepsToTolerance);
        Assert.All(report.Results, r => Assert.False(r.Diverged));
        Assert.All(report.Results.Zip(report.Paths), pair => Assert.Equal(pair.First.StepsToTolerance, pair.Second.StepsTo(report.Tolerance)));

        Assert.All(report.ScratchChecks, c => Assert.True(c.MaxDifference <= 1e-6, $"{c.Optimizer}: {c.MaxDifference}"));
        Assert.Equal(3, report.Schedules.Count);

        Assert.Equal(["paths-quadratic", "gap-quadratic", "paths-rosenbrock", "gap-rosenbrock", "schedules-loss", "schedules-lr"], report.Figures.Keys);
        var contour = report.Figures["paths-rosenbrock"].Traces.OfType<ContourTrace>().Single();
        Assert.Equal(contour.Y.Count, contour.Z.Count);
        Assert.All(contour.Z, row => Assert.Equal(contour.X.Count, row.Count));
        Assert.Equal(8, report.Figures["paths-rosenbrock"].Traces.OfType<ScatterTrace>().Count(t => t.Mode == TraceMode.Lines));
        // Long paths are drawn through their first points in full, then thinned, always ending where the path ends.
        foreach (var line in report.Figures["paths-rosenbrock"].Traces.OfType<ScatterTrace>().Where(t => t.Mode == TraceMode.Lines))
        {
            var path = report.Paths.Single(p => p.Function == Rosenbrock.Name && p.Optimizer.Label == line.Name);
            var drawn = path.Points.TakeWhile(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
            Assert.True(line.X.Count <= 2 * OptimizerCharts.DrawnPathPoints + 1, $"{line.Name}: {line.X.Count} points drawn");
            Assert.Equal(drawn.Take(Math.Min(drawn.Length, OptimizerCharts.DrawnPathPoints)).Select(p => p.X), line.X.Take(OptimizerCharts.DrawnPathPoints));
            Assert.Equal(drawn[^1].X, line.X[^1]);
            Assert.Equal(drawn[^1].Y, line.Y[^1]);
        }
    }

    [Fact]
    public void BadSettings_AreRejectedBeforeAnyNativeCall()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerTrajectory.Run(Quadratic, new OptimizerSpec(OptimizerKind.Adam, 0), 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerTrajectory.Run(Quadratic, new OptimizerSpec(OptimizerKind.Adam, double.NaN), 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerTrajectory.Run(Quadratic, new OptimizerSpec(OptimizerKind.Adam, 0.1), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerTrajectory.Run(Quadratic, new OptimizerSpec(OptimizerKind.Momentum, 0.1) { Momentum = 1 }, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerTrajectory.Run(Quadratic, new OptimizerSpec(OptimizerKind.Sgd, 0.1) { WeightDecay = -1 }, 10));
        Assert.Throws<ArgumentException>(() => OptimizerTrajectory.Run(Quadratic, new OptimizerSpec(OptimizerKind.Lbfgs, 1) { WeightDecay = 0.1 }, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerTrajectory.Run(Quadratic, new OptimizerSpec((OptimizerKind)99, 0.1), 10));

        var adam = new ScratchAdam(0.1);
        adam.Update([1, 2], [0.1, 0.2]);
        Assert.Throws<ArgumentException>(() => adam.Update([1, 2, 3], [0.1, 0.2, 0.3]));
        Assert.Throws<ArgumentException>(() => new ScratchMomentumSgd(0.1).Update([1, 2], [0.1]));
        Assert.Throws<ArgumentException>(() => OptimizerRace.Best([new SweepEntry(1, null, double.NaN, Diverged: true)]));
    }
}
