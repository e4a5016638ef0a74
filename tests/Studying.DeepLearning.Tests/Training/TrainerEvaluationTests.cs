using System.Text.Json;
using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Plotting;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Tests.Training;

[Trait("Tier", "unit")]
public sealed class TrainerEvaluationTests
{
    public TrainerEvaluationTests() => TorchRuntime.EnsureLoaded();

    /// <summary>A linear layer set to the identity: the logits are the inputs, so predictions can be counted by hand.</summary>
    private static nn.Module<Tensor, Tensor> IdentityModel(int classes)
    {
        var linear = nn.Linear(classes, classes);
        using (no_grad())
        {
            linear.weight!.copy_(eye(classes));
            linear.bias!.zero_();
        }
        return linear;
    }

    [Fact]
    public void ConfusionMatrix_AccuracyAndLoss_EqualAHandCount()
    {
        var random = new Random(3);
        var inputs = Enumerable.Range(0, 50).Select(_ => Enumerable.Range(0, 3).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray()).ToArray();
        var targets = Enumerable.Range(0, 50).Select(i => (long)random.Next(3)).ToArray();
        targets[0] = 0; // make sure every class occurs
        targets[1] = 1;
        targets[2] = 2;
        var expected = new int[3, 3];
        double loss = 0;
        for (var i = 0; i < inputs.Length; i++)
        {
            var row = inputs[i];
            var predicted = Array.IndexOf(row, row.Max());
            expected[targets[i], predicted]++;
            var logSum = Math.Log(row.Sum(v => Math.Exp(v)));
            loss += logSum - row[targets[i]];
        }
        using var model = IdentityModel(3);

        var result = Trainer.Evaluate(model, new ArraySource(inputs, targets, 16, ["cat", "dog", "owl"]));

        Assert.Equal(expected, result.ConfusionMatrix);
        Assert.Equal(50, result.SampleCount);
        Assert.Equal((double)(expected[0, 0] + expected[1, 1] + expected[2, 2]) / 50, result.Accuracy, 12);
        Assert.Equal(loss / 50, result.Loss, 5);
        for (var c = 0; c < 3; c++)
            Assert.Equal((double)expected[c, c] / (expected[c, 0] + expected[c, 1] + expected[c, 2]), result.PerClassAccuracy[c]!.Value, 12);
        Assert.True(model.training, "Evaluate must restore the model's mode");
    }

    [Fact]
    public void PerClassAccuracy_IsNullForAnAbsentClass_AndTheResultSerialises()
    {
        using var model = IdentityModel(3);
        var result = Trainer.Evaluate(model, new ArraySource([[1f, 0, 0], [0, 1f, 0], [1f, 0, 0]], [0, 1, 1], 2, ["a", "b", "c"]));

        Assert.Equal([1.0, 0.5, null], result.PerClassAccuracy);
        var json = JsonDocument.Parse(JsonSerializer.Serialize(result)).RootElement;
        Assert.Equal("[[1,0,0],[1,1,0],[0,0,0]]", json.GetProperty("ConfusionRows").GetRawText());
        Assert.False(json.TryGetProperty("ConfusionMatrix", out _));
    }

    [Fact]
    public void Charts_DrawTheHistoryAndTheMatrix()
    {
        var history = new TrainingHistory([new EpochRecord(1, 1.0, 0.5, 0.9, 0.6, 0.1, 1), new EpochRecord(2, 0.5, 0.8, 0.6, 0.7, 0.1, 1)]);
        var loss = TrainingCharts.LossCurves(history);
        var accuracy = TrainingCharts.AccuracyCurves(history);
        Assert.Equal([1.0, 0.5], ((ScatterTrace)loss.Traces[0]).Y);
        Assert.Equal([0.9, 0.6], ((ScatterTrace)loss.Traces[1]).Y);
        Assert.Equal([0.6, 0.7], ((ScatterTrace)accuracy.Traces[1]).Y);
        Assert.Equal("epoch", loss.XAxis.Title);

        var evaluation = new EvaluationResult(["a", "b"], 5, 0.3, 0.6, new[,] { { 2, 1 }, { 1, 1 } });
        var heatmap = (HeatmapTrace)TrainingCharts.ConfusionMatrix(evaluation).Traces[0];
        Assert.Equal(["a", "b"], heatmap.X);
        Assert.Equal([2.0, 1.0], heatmap.Z[0]);
        Assert.Equal([1.0, 1.0], heatmap.Z[1]);
    }

    [Fact]
    public void TrainingResult_SerialisesToJson_WithADivergenceNaN()
    {
        var result = new TrainingResult(new TrainingHistory([new EpochRecord(1, 1, 0.5, null, null, 0.1, 2)]), StopReason.Diverged, "m", null, null, false, new Divergence(3, double.NaN, "Diverged") { Epoch = 2 });
        var json = JsonSerializer.Serialize(result);
        Assert.Contains("\"Loss\":\"NaN\"", json, StringComparison.Ordinal);
        Assert.Equal(result.History.Epochs, JsonSerializer.Deserialize<TrainingResult>(json)!.History.Epochs);
    }
}
