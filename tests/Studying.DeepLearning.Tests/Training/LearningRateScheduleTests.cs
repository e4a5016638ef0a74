using Studying.DeepLearning.Data;
using Studying.DeepLearning.Classification;
using TorchSharp;
using static TorchSharp.torch.optim;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Tests.Training;

[Trait("Tier", "unit")]
public sealed class LearningRateScheduleTests
{
    public LearningRateScheduleTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData(ScheduleKind.Step)]
    [InlineData(ScheduleKind.Cosine)]
    public void RateAt_EqualsTorchSharpsSchedulerSteppedOncePerEpoch(ScheduleKind kind)
    {
        const int epochs = 12;
        var schedule = new LearningRateSchedule(kind, StepSize: 4, Gamma: 0.5, MinimumLearningRate: 0.01);
        using var parameter = new TorchSharp.Modules.Parameter(torch.zeros(2));
        using var optimizer = SGD([parameter], 0.2);
        var scheduler = kind == ScheduleKind.Step ? lr_scheduler.StepLR(optimizer, 4, 0.5) : lr_scheduler.CosineAnnealingLR(optimizer, epochs, 0.01);
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            Assert.Equal(optimizer.ParamGroups.First().LearningRate, schedule.RateAt(epoch, 0.2, epochs), 12);
            optimizer.step();
            scheduler.step();
        }
    }

    [Fact]
    public void RateAt_WithWarmup_TrainsATenthFirst_ThenRunsTheCosineOverTheRemainingEpochs()
    {
        var schedule = new LearningRateSchedule(ScheduleKind.Cosine) { WarmupEpochs = 2 };
        Assert.Equal(0.01, schedule.RateAt(1, 0.1, 10), 15);
        Assert.Equal(0.01, schedule.RateAt(2, 0.1, 10), 15);
        Assert.Equal(0.1, schedule.RateAt(3, 0.1, 10), 15);                                     // cosine epoch 1 of 8
        Assert.Equal(0.05 * (1 + Math.Cos(Math.PI * 4 / 8)), schedule.RateAt(7, 0.1, 10), 15);  // cosine epoch 5 of 8
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { Schedule = schedule with { WarmupEpochs = -1 } }.Validate(true, "options"));
    }

    [Fact]
    public void BestMonitor_OnAScriptedLossCurve_CountsEpochsWithoutImprovementAboveMinDelta()
    {
        // Improvements must beat the best by more than 0.05: 0.8 does (epoch 2), 0.79 does not, nor 0.85, 0.9 …
        double[] curve = [1.0, 0.8, 0.79, 0.85, 0.9, 0.7];
        var monitor = new Trainer.BestMonitor(MonitoredMetric.ValidationLoss, 0.05);
        var since = curve.Select((v, i) => { monitor.Update(i + 1, v); return monitor.SinceBest; }).ToArray();

        Assert.Equal([0, 0, 1, 2, 3, 0], since); // patience 2 stops after epoch 4, patience 3 after epoch 5
        Assert.Equal(6, monitor.BestEpoch);

        var accuracy = new Trainer.BestMonitor(MonitoredMetric.ValidationAccuracy, 0);
        double[] accuracies = [0.5, 0.6, 0.6, 0.55];
        Assert.Equal([true, true, false, false], accuracies.Select((v, i) => accuracy.Update(i + 1, v)));
        Assert.Equal(2, accuracy.BestEpoch);
    }

    [Fact]
    public void Fit_RecordsTheScheduledRatePerEpoch()
    {
        using var model = new TinyMlp(4, 8, 3, seed: 1);
        var options = new TrainerOptions
        {
            Epochs = 4, Optimizer = new(OptimizerKind.Sgd, 0.1), Schedule = new LearningRateSchedule(ScheduleKind.Step, StepSize: 2, Gamma: 0.5),
        };
        var result = Trainer.Fit(model, new GaussianBlobSource(64, 3, 4, 4, 32, 1), null, options);
        Assert.Equal([0.1, 0.1, 0.05, 0.05], result.History.Epochs.Select(e => e.LearningRate));
    }
}
