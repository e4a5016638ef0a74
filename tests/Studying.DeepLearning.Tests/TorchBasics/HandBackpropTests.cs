using Studying.DeepLearning.TorchBasics;

namespace Studying.DeepLearning.Tests.TorchBasics;

[Trait("Tier", "unit")]
public class HandBackpropTests
{
    private static (double[][] X, double[] Y) RandomData(int n, int d, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => 4 * random.NextDouble() - 2).ToArray()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => 2 * random.NextDouble() - 1).ToArray();
        return (x, y);
    }

    [Theory]
    [InlineData(HiddenActivation.Sigmoid, 5, 3, 4, 1)]
    [InlineData(HiddenActivation.Tanh, 7, 2, 6, 2)]
    [InlineData(HiddenActivation.Sigmoid, 1, 1, 1, 3)]
    public void HandBackward_MatchesAutogradOnEveryNode(HiddenActivation activation, int n, int d, int h, int seed)
    {
        var network = TwoLayerNetwork.Random(d, h, activation, seed);
        var (x, y) = RandomData(n, d, seed + 100);

        var hand = HandBackprop.Run(network, x, y);
        var autograd = HandBackprop.RunWithAutograd(network, x, y);

        Assert.Equal(autograd.Graph.Select(g => g.Name), hand.Graph.Select(g => g.Name));
        Assert.Equal(autograd.Graph.Select(g => g.Shape), hand.Graph.Select(g => g.Shape));
        Assert.True(HandBackprop.MaxDifference(hand, autograd) < 1e-6);
        Assert.Equal(autograd.Loss, hand.Loss, 12);
    }

    [Fact]
    public void HandGradientOfW1_MatchesFiniteDifferencesOfTheHandLoss()
    {
        // Independent of TorchSharp: perturb one first-layer weight and difference the hand-computed loss.
        var network = TwoLayerNetwork.Random(2, 3, HiddenActivation.Tanh, 9);
        var (x, y) = RandomData(4, 2, 10);
        var gradient = HandBackprop.Run(network, x, y).Node("W1").Gradient;
        const double step = 1e-6;
        for (var j = 0; j < 3; j++)
        {
            for (var k = 0; k < 2; k++)
            {
                double LossWith(double delta)
                {
                    var w1 = network.W1.Select(row => row.ToArray()).ToArray();
                    w1[j][k] += delta;
                    return HandBackprop.Run(network with { W1 = w1 }, x, y).Loss;
                }
                var numeric = (LossWith(step) - LossWith(-step)) / (2 * step);
                Assert.Equal(numeric, gradient[j * 2 + k], 8);
            }
        }
    }

    [Fact]
    public void TinyNetwork_MatchesAHandCalculation()
    {
        // One sample x = 1, one tanh unit with w = 0, b = 0 → a = 0, ŷ = w2·0 + b2 = 0.5; y = 1.5: r = −1, L = 1.
        // ∂L/∂b2 = 2r = −2, ∂L/∂W2 = 2r·a = 0, ∂L/∂a = 2r·w2 = −6 (w2 = 3), ∂L/∂z = −6·(1 − 0²) = −6, ∂L/∂W1 = −6·x = −6.
        var network = new TwoLayerNetwork([[0.0]], [0.0], [3.0], 0.5, HiddenActivation.Tanh);
        var pass = HandBackprop.Run(network, [[1.0]], [1.5]);
        Assert.Equal(1.0, pass.Loss, 12);
        Assert.Equal(-2.0, pass.Node("b2").Gradient[0], 12);
        Assert.Equal(0.0, pass.Node("W2").Gradient[0], 12);
        Assert.Equal(-6.0, pass.Node("a1").Gradient[0], 12);
        Assert.Equal(-6.0, pass.Node("W1").Gradient[0], 12);
        Assert.Equal(0.0, pass.Node("x").Gradient[0], 12); // ∂L/∂x = ∂L/∂z·W1 = −6·0
        Assert.Equal([], pass.Node("L").Shape);
    }

    [Fact]
    public void MismatchedShapes_AreRejectedWithWhatWasExpected()
    {
        var network = TwoLayerNetwork.Random(2, 3, HiddenActivation.Sigmoid, 1);
        var e = Assert.Throws<ArgumentException>(() => HandBackprop.RunWithAutograd(network, [[1.0, 2.0, 3.0]], [1.0]));
        Assert.Contains("takes 2", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => HandBackprop.Run(network, [[1.0, 2.0]], [1.0, 2.0]));
        Assert.Throws<ArgumentException>(() => HandBackprop.Run(network, [], []));
        Assert.Throws<ArgumentException>(() => HandBackprop.Run(network with { B1 = [0.0] }, [[1.0, 2.0]], [1.0]));
        Assert.Throws<ArgumentException>(() => HandBackprop.Run(network with { W2 = [0.0, 1.0] }, [[1.0, 2.0]], [1.0]));
        Assert.Throws<ArgumentException>(() => HandBackprop.Run(network, [[1.0, double.NaN]], [1.0]));
        Assert.Throws<KeyNotFoundException>(() => HandBackprop.Run(network, [[1.0, 2.0]], [1.0]).Node("z9"));
    }
}
