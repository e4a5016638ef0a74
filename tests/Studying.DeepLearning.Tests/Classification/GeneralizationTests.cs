using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.Tests.Training;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Tests.Classification;

[Trait("Tier", "unit")]
public sealed class GeneralizationTests
{
    public GeneralizationTests() => TorchRuntime.EnsureLoaded();

    private static GaussianBlobSource Blobs(int samples, int seed, int batchSize = 32) =>
        new(samples, classes: 3, features: 4, separation: 2, batchSize, seed);

    private static TrainerOptions Options(int epochs) =>
        new() { Epochs = epochs, Optimizer = new OptimizerSpec(OptimizerKind.Adam, 0.01), Seed = 3, RestoreBestWeights = false };

    [Fact]
    public void Fit_MeasuresEveryEpoch_AndTheLastMeasurementIsTheFinalModel()
    {
        using var model = new TinyMlp(4, 16, 3, seed: 1, dropout: 0.3);
        var train = Blobs(120, seed: 1);
        var trainMeasure = Blobs(120, seed: 1, batchSize: 64);
        var test = Blobs(90, seed: 2);

        var run = Generalization.Fit("tiny", model, train, trainMeasure, test, Options(3));

        Assert.Equal([1, 2, 3], run.Epochs.Select(e => e.Epoch));
        Assert.Equal(3, run.Training.History.Epochs.Count);
        Assert.True(model.training, "the model is left in training mode, as the trainer leaves it");
        // The last measurement is the final weights measured in eval mode (dropout off): evaluating again agrees.
        Assert.Equal(Trainer.Evaluate(model, trainMeasure).Loss, run.Last.TrainLoss, 6);
        Assert.Equal(Trainer.Evaluate(model, test).Accuracy, run.Last.TestAccuracy, 9);
        Assert.Equal(run.Last.TrainAccuracy - run.Last.TestAccuracy, run.Last.AccuracyGap, 12);
    }

    [Fact]
    public void Fit_DoesNotChangeTheTraining_ComparedWithTheTrainerAlone()
    {
        using var measured = new TinyMlp(4, 16, 3, seed: 1, dropout: 0.3);
        using var plain = new TinyMlp(4, 16, 3, seed: 1, dropout: 0.3);

        var run = Generalization.Fit("measured", measured, Blobs(120, seed: 1), Blobs(120, seed: 1), Blobs(90, seed: 2), Options(3), validation: Blobs(60, seed: 4));
        var alone = Trainer.Fit(plain, Blobs(120, seed: 1), Blobs(60, seed: 4), Options(3));

        Assert.Equal(alone.History.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss)), run.Training.History.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss)));
        var a = measured.parameters().ToArray();
        var b = plain.parameters().ToArray();
        for (var i = 0; i < a.Length; i++)
            Assert.True(a[i].eq(b[i]).all().item<bool>(), $"parameter {i} differs");
    }

    [Fact]
    public void Fit_KeepsTheCallersCallbacks_AndStopsEarlyWithTheTrainer()
    {
        using var model = new TinyMlp(4, 16, 3, seed: 1);
        var seen = new List<int>();
        var options = Options(30) with
        {
            EarlyStopping = new EarlyStopping(Patience: 1, MinDelta: 10),   // nothing improves by 10: stops after epoch 2
            Callbacks = new TrainerCallbacks { OnEpochEnd = e => seen.Add(e.Record.Epoch) },
        };

        var run = Generalization.Fit("stopped", model, Blobs(120, seed: 1), Blobs(120, seed: 1), Blobs(90, seed: 2), options, validation: Blobs(60, seed: 4));

        Assert.Equal(StopReason.EarlyStopped, run.Training.Stop);
        Assert.Equal([1, 2], seen);
        Assert.Equal([1, 2], run.Epochs.Select(e => e.Epoch));
    }

    [Fact]
    public void Fit_RefusesATestSourceWithOtherClasses()
    {
        using var model = new TinyMlp(4, 16, 3, seed: 1);
        var twoClasses = new GaussianBlobSource(60, classes: 2, features: 4, separation: 2, batchSize: 32, seed: 5);

        var error = Assert.Throws<ArgumentException>(() => Generalization.Fit("x", model, Blobs(120, seed: 1), Blobs(120, seed: 1), twoClasses, Options(1)));
        Assert.Equal("test", error.ParamName);
    }

    [Fact]
    public void Charts_DrawTrainingSolidAndTestDashed_InOneColourPerRun()
    {
        static GeneralizationRun Run(string name, double shift) => new(name,
            new TrainingResult(new TrainingHistory([]), StopReason.Completed, "", null, null, false, null),
            [new GeneralizationEpoch(1, 1.0 + shift, 0.5, 1.2 + shift, 0.4), new GeneralizationEpoch(2, 0.5 + shift, 0.8, 1.1 + shift, 0.6)]);

        var loss = Generalization.LossChart("loss", Run("a", 0), Run("b", 1));
        var accuracy = Generalization.AccuracyChart("accuracy", Run("a", 0));

        var traces = loss.Traces.Cast<ScatterTrace>().ToArray();
        Assert.Equal(["a: training", "a: test", "b: training", "b: test"], traces.Select(t => t.Name));
        Assert.Equal([LineDash.Solid, LineDash.Dash, LineDash.Solid, LineDash.Dash], traces.Select(t => t.Dash));
        Assert.Equal(traces[0].Color, traces[1].Color);
        Assert.NotEqual(traces[0].Color, traces[2].Color);
        Assert.Equal([1.0, 2.0], traces[0].X);
        Assert.Equal([2.2, 2.1], traces[3].Y);
        Assert.Equal([0.4, 0.6], accuracy.Traces.Cast<ScatterTrace>().ElementAt(1).Y);
        Assert.Throws<ArgumentException>(() => Generalization.LossChart("none"));
    }

    [Fact]
    public void Last_OfARunWithoutEpochs_SaysSo()
    {
        var run = new GeneralizationRun("empty", new TrainingResult(new TrainingHistory([]), StopReason.Completed, "", null, null, false, null), []);
        Assert.Throws<InvalidOperationException>(() => run.Last);
    }
}
