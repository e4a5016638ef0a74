using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.ResNet;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.ResNet;

[Trait("Tier", "unit")]
public class LayerStatisticsTests
{
    public LayerStatisticsTests() => TorchRuntime.EnsureLoaded();

    private static (Sequential Model, Linear First, Linear Second) TwoLayers(int seed)
    {
        var g = new Generator((ulong)seed);
        var first = nn.Linear(6, 5);
        var second = nn.Linear(5, 3);
        using (no_grad())
        {
            foreach (var p in first.parameters().Concat(second.parameters()))
                p.copy_(randn(p.shape, generator: g));
        }
        return (nn.Sequential(("fc1", first), ("relu", nn.ReLU()), ("fc2", second)), first, second);
    }

    [Fact]
    public void Measure_TwoLinearLayers_EqualsTheStatisticsComputedByHand()
    {
        var (model, first, second) = TwoLayers(3);
        var g = new Generator(4);
        var x = randn([8, 6], generator: g);
        var y = tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1 });

        var statistics = LayerStatistics.Measure(model, x, y);

        // By hand: the same forward pass with every intermediate kept, and autograd for the gradients.
        var z1 = first.call(x);
        z1.retain_grad();
        var z2 = second.call(nn.functional.relu(z1));
        z2.retain_grad();
        nn.functional.cross_entropy(z2, y).backward();
        double Std(Tensor t) => t.to_type(ScalarType.Float64).std(unbiased: false).item<double>();
        double Norm(Tensor t) => t.to_type(ScalarType.Float64).norm().item<double>();

        Assert.Equal([1, 2], statistics.Select(s => s.Layer));
        Assert.Equal(["fc1", "fc2"], statistics.Select(s => s.Name));
        Assert.Equal(["Linear", "Linear"], statistics.Select(s => s.Type));
        Assert.Equal(Std(z1.detach()), statistics[0].ActivationStd, 1e-6);
        Assert.Equal(Std(z2.detach()), statistics[1].ActivationStd, 1e-6);
        Assert.Equal(Std(z1.grad!), statistics[0].OutputGradientStd, 1e-9);
        Assert.Equal(Std(z2.grad!), statistics[1].OutputGradientStd, 1e-9);
        Assert.Equal(Norm(first.weight!.grad!), statistics[0].WeightGradientNorm, 1e-7);
        Assert.Equal(Norm(second.weight!.grad!), statistics[1].WeightGradientNorm, 1e-7);
        // The last layer's output gradient is (softmax − one-hot) / batch.
        var expected = (nn.functional.softmax(z2.detach(), 1) - nn.functional.one_hot(y, 3)) / 8;
        Assert.Equal(Std(expected), statistics[1].OutputGradientStd, 1e-7);
    }

    [Fact]
    public void Measure_LeavesModeHooksGradientsAndWeightsAsTheyWere_SoASecondMeasureIsIdentical()
    {
        var (model, first, _) = TwoLayers(5);
        var x = randn([4, 6], generator: new Generator(6));
        var y = tensor(new long[] { 2, 1, 0, 1 });
        model.eval();
        var weightBefore = first.weight!.detach().clone();

        var once = LayerStatistics.Measure(model, x, y);
        var twice = LayerStatistics.Measure(model, x, y);

        Assert.Equal(once, twice);
        Assert.False(model.training);
        Assert.True(first.weight!.grad is null || first.weight.grad.abs().max().item<float>() == 0);
        Assert.True(first.weight!.equal(weightBefore).all().item<bool>());
    }

    [Fact]
    public void Measure_TinySignals_DoNotRoundToZero()
    {
        // Weights of about 1e-25 make first-layer outputs and weight gradients of about 1e-25: their squares (1e-50)
        // are below float32's smallest number (1.4e-45), so a float32 norm would be 0. The statistics are taken in float64.
        var g = new Generator(10);
        var model = nn.Sequential(("fc1", nn.Linear(4, 4, hasBias: false)), ("relu", nn.ReLU()), ("fc2", nn.Linear(4, 2, hasBias: false)));
        using (no_grad())
        {
            foreach (var p in model.parameters())
                p.copy_(randn(p.shape, generator: g) * 1e-25f);
        }
        using (no_grad())
            Assert.Equal(0f, (randn([16], generator: g) * 1e-25f).norm().item<float>());

        var statistics = LayerStatistics.Measure(model, randn([3, 4], generator: g), tensor(new long[] { 0, 1, 0 }));

        Assert.InRange(statistics[0].ActivationStd, 1e-27, 1e-23);
        Assert.InRange(statistics[0].OutputGradientStd, 1e-28, 1e-23);
        Assert.InRange(statistics[0].WeightGradientNorm, 1e-29, 1e-23);
        Assert.InRange(statistics[1].WeightGradientNorm, 1e-29, 1e-23);
    }

    [Fact]
    public void Measure_ConvolutionsInsideSequential_AreRecordedInTheOrderTheyRan()
    {
        var model = nn.Sequential(
            ("conv1", nn.Conv2d(1, 2, 3, padding: 1)), ("bn1", nn.BatchNorm2d(2)), ("relu1", nn.ReLU()),
            ("conv2", nn.Conv2d(2, 2, 3, padding: 1)), ("relu2", nn.ReLU()),
            ("pool", nn.AdaptiveAvgPool2d(1)), ("flat", nn.Flatten()), ("fc", nn.Linear(2, 3)));
        var statistics = LayerStatistics.Measure(model, randn([4, 1, 5, 5], generator: new Generator(7)), tensor(new long[] { 0, 1, 2, 0 }));

        Assert.Equal(["conv1", "conv2", "fc"], statistics.Select(s => s.Name));
        Assert.Equal(["Conv2d", "Conv2d", "Linear"], statistics.Select(s => s.Type));
        Assert.All(statistics, s => Assert.True(s.ActivationStd > 0 && s.OutputGradientStd > 0 && s.WeightGradientNorm > 0));
    }

    [Fact]
    public void Measure_BadTargets_AreRefusedBeforeTheLoss()
    {
        var (model, _, _) = TwoLayers(8);
        var x = randn([2, 6], generator: new Generator(9));

        Assert.Throws<ArgumentException>(() => LayerStatistics.Measure(model, x, tensor(new long[] { 0, 3 })));
        Assert.Throws<ArgumentException>(() => LayerStatistics.Measure(model, x, tensor(new long[] { 0, 1, 2 })));
        Assert.Throws<ArgumentException>(() => LayerStatistics.Measure(model, x, tensor(new float[] { 0, 1 })));
        Assert.True(model.training);
    }

    [Fact]
    public void Measure_ModelWithoutWeightedLayers_IsRefused()
    {
        var model = nn.Sequential(("flat", nn.Flatten()));
        var error = Assert.Throws<ArgumentException>(() => LayerStatistics.Measure(model, randn([2, 3], generator: new Generator(1)), tensor(new long[] { 0, 2 })));
        Assert.Contains("No weighted layer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GeometricMean_AveragesTheLogarithmsLayerByLayer()
    {
        LayerStatistic[] a = [new(1, "fc1", "Linear", 1, 1e-6, 2), new(2, "fc2", "Linear", 0.5, 0.2, 0)];
        LayerStatistic[] b = [new(1, "fc1", "Linear", 4, 1e-2, 8), new(2, "fc2", "Linear", 2, 0.2, 3)];

        var mean = LayerStatistics.GeometricMean([a, b]);

        Assert.Equal(["fc1", "fc2"], mean.Select(l => l.Name));
        Assert.Equal([1, 2], mean.Select(l => l.Layer));
        Assert.Equal(2, mean[0].ActivationStd, 12);
        Assert.Equal(1e-4, mean[0].OutputGradientStd, 12);
        Assert.Equal(4, mean[0].WeightGradientNorm, 12);
        Assert.Equal(1, mean[1].ActivationStd, 12);
        Assert.Equal(0.2, mean[1].OutputGradientStd, 12);
        Assert.Equal(0, mean[1].WeightGradientNorm); // a zero anywhere makes the geometric mean zero
        var single = LayerStatistics.GeometricMean([a]);
        Assert.Equal(1e-6, single[0].OutputGradientStd, 1e-15); // one measurement is its own mean (up to exp(log) rounding)
        Assert.Equal(0.5, single[1].ActivationStd, 12);
    }

    [Fact]
    public void GeometricMean_OfDifferentArchitectures_IsRefused()
    {
        LayerStatistic[] a = [new(1, "fc1", "Linear", 1, 1, 1)];
        LayerStatistic[] b = [new(1, "conv1", "Conv2d", 1, 1, 1)];
        LayerStatistic[] c = [new(1, "fc1", "Linear", 1, 1, 1), new(2, "fc2", "Linear", 1, 1, 1)];

        Assert.Throws<ArgumentException>(() => LayerStatistics.GeometricMean([a, b]));
        Assert.Throws<ArgumentException>(() => LayerStatistics.GeometricMean([a, c]));
        Assert.Throws<ArgumentException>(() => LayerStatistics.GeometricMean([]));
    }

    [Fact]
    public void Chart_DrawsOneLinePerNetwork_OnALogAxis()
    {
        LayerStatistic[] a = [new(1, "fc1", "Linear", 1, 0.1, 2), new(2, "fc2", "Linear", 0.5, 0.2, 3)];
        LayerStatistic[] b = [new(1, "fc1", "Linear", 1e-3, 0.1, 2)];

        var figure = LayerStatistics.Chart("std", "std of z", s => s.ActivationStd, ("a", a), ("b", b));

        Assert.True(figure.YAxis.Logarithmic);
        Assert.Equal("std of z", figure.YAxis.Title);
        var traces = figure.Traces.Cast<ScatterTrace>().ToList();
        Assert.Equal(["a", "b"], traces.Select(t => t.Name));
        Assert.Equal([1.0, 2.0], traces[0].X);
        Assert.Equal([1.0, 0.5], traces[0].Y);
        Assert.Equal([1e-3], traces[1].Y);
    }
}
