using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.ResNet;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Training;
using Studying.DeepLearning.Tests.Training;

namespace Studying.DeepLearning.Tests.ResNet;

[Trait("Tier", "unit")]
public class DegradationExperimentTests
{
    public DegradationExperimentTests() => TorchRuntime.EnsureLoaded();

    private static ImageBatchSource RandomImages(int count, int batchSize)
    {
        var random = new Random(3);
        var pixels = new byte[count * 28 * 28];
        random.NextBytes(pixels);
        var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        var data = new ImageDataSet("random", pixels, labels, 1, 28, 28, [.. Enumerable.Range(0, 10).Select(i => $"c{i}")]);
        return new ImageBatchSource(data, new ImageBatchOptions(batchSize, Shuffle: false));
    }

    [Theory]
    [InlineData("resnet20", 20)]
    [InlineData("plain56", 56)]
    public void GradientNorms_HasOneFiniteEntryPerWeightedLayer_InputSideFirst(string name, int depth)
    {
        torch.random.manual_seed(0);
        using var model = ResNetModels.Create(name, 1, 10);
        var layers = DegradationExperiment.GradientNorms(model, RandomImages(64, 32), 48);

        Assert.Equal(depth, layers.Count);
        Assert.Equal(Enumerable.Range(1, depth), layers.Select(l => l.Layer));
        Assert.Equal("conv1.weight", layers[0].Parameter);
        Assert.Equal("linear.weight", layers[^1].Parameter);
        Assert.All(layers, l => Assert.True(double.IsFinite(l.Norm) && l.Norm > 0, $"{l.Parameter}: {l.Norm}"));
        Assert.All(model.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
    }

    [Fact]
    public void GradientNorms_ClassifierEntry_EqualsTheClosedForm()
    {
        // For logits z = W·f + b and mean cross-entropy, ∂L/∂W = (softmax(z) − onehot(y))ᵀ · f / N.
        torch.random.manual_seed(1);
        using var model = new CifarResNet(20, inputChannels: 1, classes: 10);
        var source = RandomImages(40, 40);
        var measured = DegradationExperiment.GradientNorms(model, source, 40)[^1].Norm;

        using var scope = NewDisposeScope();
        var batch = source.GetBatches(1).First();
        model.train();
        Tensor features;
        using (no_grad())
            features = model.FeatureMaps(batch.Inputs)[^1].mean([2, 3]).to(float64);
        var fc = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var logits = features.matmul(fc["linear.weight"].to(float64).t()) + fc["linear.bias"].to(float64);
        var delta = logits.softmax(1) - nn.functional.one_hot(batch.Targets, 10).to(float64);
        var expected = delta.t().matmul(features).div(40).norm().item<double>();

        Assert.Equal(expected, measured, expected * 1e-4);
    }

    [Fact]
    public void Report_Verdicts_CompareTheDeepestAndShallowestOfEachFamily()
    {
        static DegradationRun Run(string model, int depth, bool residual, double loss) =>
            new(model, model, depth, residual, 1, [new LayerGradient(1, "w", 1)], new TrainingHistory([new EpochRecord(1, loss, 0.5, 1, 0.5, 0.1, 1)]), 1);

        var degraded = new DegradationReport(new DegradationOptions(), "toy",
            [Run("plain20", 20, false, 0.30), Run("plain56", 56, false, 0.45), Run("resnet20", 20, true, 0.30), Run("resnet56", 56, true, 0.25)]);
        Assert.True(degraded.DeeperPlainTrainsWorse);
        Assert.True(degraded.DeeperResidualTrainsAsWell);

        var reversed = new DegradationReport(new DegradationOptions(), "toy",
            [Run("plain56", 56, false, 0.20), Run("plain20", 20, false, 0.45), Run("resnet56", 56, true, 0.50), Run("resnet20", 20, true, 0.30)]);
        Assert.False(reversed.DeeperPlainTrainsWorse);
        Assert.False(reversed.DeeperResidualTrainsAsWell);

        var single = new DegradationReport(new DegradationOptions(), "toy", [Run("resnet20", 20, true, 0.3)]);
        Assert.Null(single.DeeperPlainTrainsWorse);
        Assert.Null(single.DeeperResidualTrainsAsWell);
    }

    [Theory]
    [InlineData("resnet19", "Unknown network 'resnet19'")]
    [InlineData("resnet20,resnet20", "only once")]
    public void Run_RejectsBadNetworks_BeforeLoadingData(string models, string expected)
    {
        var options = new DegradationOptions { Models = models.Split(','), DataFolder = "/nonexistent" };
        var e = Assert.Throws<ArgumentException>(() => DegradationExperiment.Run(options));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_RejectsSizesItCannotUse()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DegradationExperiment.Run(new DegradationOptions(TrainSamples: 50, BatchSize: 100)));
        Assert.Throws<ArgumentOutOfRangeException>(() => DegradationExperiment.Run(new DegradationOptions(Epochs: 0)));
        Assert.Throws<ArgumentException>(() => DegradationExperiment.Run(new DegradationOptions { Dataset = "imagenet" }));
    }

    [Fact]
    public void Run_OnRealFashionMnist_TrainsEveryNetwork_AndDrawsOneChartWithTrainAndTestCurves()
    {
        var options = new DegradationOptions(TrainSamples: 200, TestSamples: 100, Epochs: 2, BatchSize: 50) { Models = ["plain20", "resnet20"], GradientBatchSize = 50 };
        var charts = new List<Figure>();
        var report = DegradationExperiment.Run(options, new InlineProgress<DegradationProgress>(p =>
        {
            if (p.Curves is { } figure)
                charts.Add(figure);
        }));

        Assert.Equal(["plain20", "resnet20"], report.Runs.Select(r => r.Model));
        Assert.Equal([false, true], report.Runs.Select(r => r.Residual));
        Assert.All(report.Runs, r => Assert.Equal(269_434, r.Parameters));
        Assert.All(report.Runs, r => Assert.Equal(2, r.History.Epochs.Count));
        Assert.All(report.Runs, r => Assert.InRange(r.TestError, 0, 100));
        Assert.Equal(4, charts.Count);
        Assert.Equal([2, 2, 4, 4], charts.Select(c => c.Traces.Count));

        var curves = report.Figures["plain-vs-residual"];
        var lines = curves.Traces.Cast<ScatterTrace>().ToList();
        Assert.Equal(["Plain-20 train", "Plain-20 test", "ResNet-20 train", "ResNet-20 test"], lines.Select(l => l.Name));
        Assert.Equal([LineDash.Solid, LineDash.Dash, LineDash.Solid, LineDash.Dash], lines.Select(l => l.Dash));
        Assert.Equal(lines[0].Color, lines[1].Color);
        Assert.NotEqual(lines[0].Color, lines[2].Color);
        Assert.Equal(100 * (1 - report.Runs[1].History.Epochs[^1].TrainAccuracy), lines[2].Y[^1], 10);
        Assert.Equal(20, ((ScatterTrace)report.Figures["gradient-norms"].Traces[0]).X.Count);
        Assert.Contains("<div", curves.ToHtml(), StringComparison.Ordinal);
    }
}
