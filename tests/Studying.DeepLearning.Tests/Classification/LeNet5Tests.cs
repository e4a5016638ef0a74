using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Infrastructure;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.Classification;

[Trait("Tier", "unit")]
public class LeNet5Tests
{
    public LeNet5Tests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void ParameterCount_EqualsTheHandCount_OfD2lsLeNet()
    {
        using var lenet = new LeNet5();
        // A k×k convolution from c to o channels has k·k·c·o weights and o biases; Linear(a, b) has a·b + b.
        //   conv 5×5, 1 → 6:    25·1·6  + 6   =    150 + 6   =    156
        //   conv 5×5, 6 → 16:   25·6·16 + 16  =  2,400 + 16  =  2,416
        //   Linear 16·5·5 → 120: 400·120 + 120 = 48,000 + 120 = 48,120
        //   Linear 120 → 84:    120·84 + 84   = 10,080 + 84  = 10,164
        //   Linear 84 → 10:     84·10 + 10    =    840 + 10  =    850
        //   total: 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706 (sigmoid, pooling and flatten have none)
        Assert.Equal(156 + 2_416 + 48_120 + 10_164 + 850, ClassifierModels.CountParameters(lenet));
        Assert.Equal(61_706, ClassifierModels.CountParameters(lenet));

        // 3×32×32: 32 → 32 (pad 2) → 16 → 12 → 6, so the classifier sees 16·6·6 = 576 features.
        using var rgb = new LeNet5(3, 32, 32, 10);
        Assert.Equal((25 * 3 * 6 + 6) + 2_416 + (576 * 120 + 120) + 10_164 + 850, ClassifierModels.CountParameters(rgb));
        Assert.Equal(83_126, ClassifierModels.CountParameters(rgb));

        using var modern = new LeNet5(style: LeNetStyle.Modern);
        Assert.Equal(61_706, ClassifierModels.CountParameters(modern)); // ReLU and max pooling have no parameters either
    }

    [Fact]
    public void StateDictNames_AreThoseOfD2lsPyTorchSequential()
    {
        using var lenet = new LeNet5();
        var shapes = lenet.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        Assert.Equal(
            ["net.0.bias", "net.0.weight", "net.11.bias", "net.11.weight", "net.3.bias", "net.3.weight", "net.7.bias", "net.7.weight", "net.9.bias", "net.9.weight"],
            shapes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([6L, 1, 5, 5], shapes["net.0.weight"]);
        Assert.Equal([16L, 6, 5, 5], shapes["net.3.weight"]);
        Assert.Equal([120L, 400], shapes["net.7.weight"]);
        Assert.Equal([84L, 120], shapes["net.9.weight"]);
        Assert.Equal([10L, 84], shapes["net.11.weight"]);
    }

    [Theory]
    [InlineData(LeNetStyle.Classic, 1, 28, 28)]
    [InlineData(LeNetStyle.Modern, 1, 28, 28)]
    [InlineData(LeNetStyle.Classic, 3, 32, 32)]
    public void Forward_GivesLogitsOfShapeBatchByClasses_AndFeaturesOf16Maps(LeNetStyle style, int channels, int height, int width)
    {
        random.manual_seed(0);
        using var lenet = new LeNet5(channels, height, width, 10, style);
        foreach (var training in new[] { true, false })
        {
            lenet.train(training);
            foreach (var batch in new[] { 1, 7 })
            {
                using var scope = NewDisposeScope();
                var input = randn(batch, channels, height, width);
                Assert.Equal([batch, 10L], lenet.forward(input).shape);
                Assert.Equal([batch, 16L, lenet.FeatureHeight, lenet.FeatureWidth], lenet.Features(input).shape);
            }
        }
        Assert.Equal(height == 28 ? 5 : 6, lenet.FeatureHeight);
    }

    [Fact]
    public void Styles_UseTheirActivationAndPooling()
    {
        using var classic = new LeNet5();
        using var modern = new LeNet5(style: LeNetStyle.Modern);
        var classicTypes = classic.modules().Select(m => m.GetType()).ToList();
        var modernTypes = modern.modules().Select(m => m.GetType()).ToList();
        Assert.Equal(4, classicTypes.Count(t => t == typeof(Sigmoid)));
        Assert.Equal(2, classicTypes.Count(t => t == typeof(AvgPool2d)));
        Assert.DoesNotContain(typeof(ReLU), classicTypes);
        Assert.Equal(4, modernTypes.Count(t => t == typeof(ReLU)));
        Assert.Equal(2, modernTypes.Count(t => t == typeof(MaxPool2d)));
        Assert.DoesNotContain(typeof(Sigmoid), modernTypes);
    }

    [Fact]
    public void ClassifierModels_CreatesItAsLenet()
    {
        Assert.Contains("lenet", ClassifierModels.Names);
        using var model = ClassifierModels.Create(" LeNet ", 1, (28, 28), 10);
        var lenet = Assert.IsType<LeNet5>(model);
        Assert.Equal(LeNetStyle.Classic, lenet.Style);
        Assert.Equal(61_706, ClassifierModels.CountParameters(model));
    }

    [Fact]
    public void InputsItCannotTake_GiveClearErrors_NotANativeAbort()
    {
        using var scope = NewDisposeScope();
        using var lenet = new LeNet5();
        var rgb = Assert.Throws<ArgumentException>(() => lenet.forward(randn(2, 3, 28, 28)));
        Assert.Contains("[batch, 1, 28, 28]", rgb.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => lenet.forward(randn(2, 1, 32, 32)));
        Assert.Throws<ArgumentException>(() => lenet.Features(randn(28, 28)));
        Assert.Contains("Float64", Assert.Throws<ArgumentException>(() => lenet.forward(randn(2, 1, 28, 28, dtype: ScalarType.Float64))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LeNet5(1, 11, 28));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LeNet5(1, 28, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LeNet5(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LeNet5(style: (LeNetStyle)7));
        using var smallest = new LeNet5(1, 12, 12, 10);
        Assert.Equal([2L, 10], smallest.forward(randn(2, 1, 12, 12)).shape);
    }
}
