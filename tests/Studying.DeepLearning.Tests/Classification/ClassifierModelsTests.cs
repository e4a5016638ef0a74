using Studying.DeepLearning.Classification;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Tests.Classification;

[Trait("Tier", "unit")]
public class ClassifierModelsTests
{
    public ClassifierModelsTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void ParameterCounts_EqualHandComputedNumbers()
    {
        using var softmax = new SoftmaxRegression(784, 10);
        Assert.Equal(784 * 10 + 10, ClassifierModels.CountParameters(softmax)); // 7,850
        Assert.Equal(7850, ClassifierModels.CountParameters(softmax));

        using var mlp = new MultilayerPerceptron(784, [256, 128, 100], 10);
        // Linear(a, b) has a·b + b: 200,960 + 32,896 + 12,900 + 1,010.
        Assert.Equal(247_766, ClassifierModels.CountParameters(mlp));
        using var mlpNorm = new MultilayerPerceptron(784, [256, 128, 100], 10, dropout: 0.2, batchNorm: true);
        Assert.Equal(247_766 + 2 * (256 + 128 + 100), ClassifierModels.CountParameters(mlpNorm)); // BN: weight and bias per feature; dropout has none

        // Convolutions without bias (k·k·in·out), BN weight+bias, Linear(64·7·7, 10).
        using var cnn = new SmallCnn(1, 28, 28, 10);
        Assert.Equal(9 * 1 * 32 + 9 * 32 * 64 + 9 * 64 * 64 + 2 * (32 + 64 + 64) + (64 * 7 * 7 * 10 + 10), ClassifierModels.CountParameters(cnn));
        Assert.Equal(87_274, ClassifierModels.CountParameters(cnn));
        using var cnnRgb = new SmallCnn(3, 32, 32, 10);
        Assert.Equal(9 * 3 * 32 + 9 * 32 * 64 + 9 * 64 * 64 + 2 * (32 + 64 + 64) + (64 * 8 * 8 * 10 + 10), ClassifierModels.CountParameters(cnnRgb));
        Assert.Equal(97_450, ClassifierModels.CountParameters(cnnRgb));
        Assert.True(ClassifierModels.CountParameters(cnnRgb) < 100_000);

        using var table = new TabularMlp(8, 64, 2);
        Assert.Equal((8 * 64 + 64) + (64 * 2 + 2), ClassifierModels.CountParameters(table));
    }

    [Fact]
    public void BatchNormRunningStatistics_AreBuffersNotParameters()
    {
        using var cnn = new SmallCnn();
        var buffers = cnn.named_buffers().Select(b => b.name).ToArray();
        Assert.Contains("features.norm1.running_mean", buffers);
        Assert.DoesNotContain(cnn.named_parameters(), p => p.name.Contains("running", StringComparison.Ordinal));
        Assert.DoesNotContain(cnn.named_parameters(), p => p.name == "features.conv1.bias"); // BN's shift replaces it
    }

    public static TheoryData<string, int, int, int> ImageModels => new()
    {
        { "softmax", 1, 28, 28 }, { "mlp", 1, 28, 28 }, { "cnn", 1, 28, 28 },
        { "softmax", 3, 32, 32 }, { "mlp", 3, 32, 32 }, { "cnn", 3, 32, 32 },
    };

    [Theory]
    [MemberData(nameof(ImageModels))]
    public void Create_GivesLogitsOfShapeBatchByClasses_ForBatchesOfOneAndSeven(string name, int channels, int height, int width)
    {
        random.manual_seed(0);
        using var model = ClassifierModels.Create(name, channels, (height, width), 10);
        foreach (var training in new[] { true, false })
        {
            model.train(training);
            foreach (var batch in new[] { 1, 7 })
            {
                using var scope = NewDisposeScope();
                var logits = model.forward(randn(batch, channels, height, width));
                Assert.Equal([batch, 10L], logits.shape);
            }
        }
        model.eval();
        using (no_grad())
        {
            using var scope = NewDisposeScope();
            var logits = model.forward(randn(64, channels, height, width));
            // Logits, not probabilities: some are negative (no ReLU on them) and rows do not sum to one (no softmax).
            Assert.True(logits.min().item<float>() < 0);
            Assert.True((logits.sum(1) - 1).abs().max().item<float>() > 1e-3);
        }
    }

    [Fact]
    public void TableModels_TakeRows()
    {
        foreach (var name in ClassifierModels.TableNames)
        {
            using var model = ClassifierModels.CreateForTable(name, 8, 3);
            using var scope = NewDisposeScope();
            Assert.Equal([7L, 3], model.forward(randn(7, 8)).shape);
            Assert.Equal([1L, 3], model.forward(randn(1, 8)).shape);
        }
    }

    [Fact]
    public void UnknownNames_ListTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassifierModels.Create("resnet", 1, (28, 28), 10));
        Assert.Contains("'resnet'", e.Message, StringComparison.Ordinal);
        Assert.Contains("softmax, mlp, cnn", e.Message, StringComparison.Ordinal);
        Assert.Contains("softmax, mlp", Assert.Throws<ArgumentException>(() => ClassifierModels.CreateForTable("cnn", 8, 2)).Message, StringComparison.Ordinal);
        using var model = ClassifierModels.Create(" CNN ", 1, (28, 28), 10);
        Assert.IsType<SmallCnn>(model);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassifierModels.Create("cnn", 0, (28, 28), 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassifierModels.Create("cnn", 1, (2, 28), 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultilayerPerceptron(784, [256, 0], 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TabularMlp(8, 16, 2, dropoutProbability: 1));
    }

    [Fact]
    public void InputsAModelCannotTake_GiveClearErrors_NotANativeAbort()
    {
        using var scope = NewDisposeScope();
        using var cnn = new SmallCnn(1, 28, 28, 10);
        var rgb = Assert.Throws<ArgumentException>(() => cnn.forward(randn(2, 3, 28, 28)));
        Assert.Contains("[batch, 1, 28, 28]", rgb.Message, StringComparison.Ordinal);
        Assert.Contains("channels", rgb.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3, 28, 28]", rgb.Message, StringComparison.Ordinal);
        Assert.Contains("height", Assert.Throws<ArgumentException>(() => cnn.forward(randn(2, 1, 32, 28))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => cnn.forward(randn(28, 28)));
        Assert.Throws<ArgumentException>(() => cnn.forward(randn(0, 1, 28, 28)));
        Assert.Contains("Float64", Assert.Throws<ArgumentException>(() => cnn.forward(randn(2, 1, 28, 28, dtype: ScalarType.Float64))).Message, StringComparison.Ordinal);

        using var softmax = new SoftmaxRegression(784, 10);
        Assert.Contains("784", Assert.Throws<ArgumentException>(() => softmax.forward(randn(2, 3, 32, 32))).Message, StringComparison.Ordinal);
        using var mlp = new MultilayerPerceptron(784, [32], 10);
        Assert.Throws<ArgumentException>(() => mlp.forward(randn(5, 100)));
        using var table = new TabularMlp(8, 16, 2);
        Assert.Contains("features", Assert.Throws<ArgumentException>(() => table.forward(randn(4, 9))).Message, StringComparison.Ordinal);

        using var normed = new MultilayerPerceptron(784, [32], 10, batchNorm: true);
        Assert.Contains("eval()", Assert.Throws<ArgumentException>(() => normed.forward(randn(1, 784))).Message, StringComparison.Ordinal);
        normed.eval();
        Assert.Equal([1L, 10], normed.forward(randn(1, 784)).shape);
    }

    [Fact]
    public void ModelConvertedToFloat64_TakesFloat64Input()
    {
        using var cnn = new SmallCnn();
        cnn.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        Assert.Equal([2L, 10], cnn.forward(randn(2, 1, 28, 28, dtype: ScalarType.Float64)).shape);
        Assert.Throws<ArgumentException>(() => cnn.forward(randn(2, 1, 28, 28)));
    }
}
