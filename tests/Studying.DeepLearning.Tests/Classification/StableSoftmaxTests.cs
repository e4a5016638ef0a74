using Studying.DeepLearning.Classification;

namespace Studying.DeepLearning.Tests.Classification;

[Trait("Tier", "unit")]
public class StableSoftmaxTests
{
    [Fact]
    public void Softmax_OfOrdinaryLogits_EqualsTheTextbookFormula()
    {
        double[] z = [2, 1, 0.1];
        var denominator = Math.Exp(2) + Math.Exp(1) + Math.Exp(0.1);
        var p = StableSoftmax.Softmax(z);
        Assert.Equal(Math.Exp(2) / denominator, p[0], 15);
        Assert.Equal(Math.Exp(1) / denominator, p[1], 15);
        Assert.Equal(Math.Exp(0.1) / denominator, p[2], 15);
        Assert.Equal(1, p.Sum(), 14);
        var log = StableSoftmax.LogSoftmax(z);
        for (var i = 0; i < 3; i++)
            Assert.Equal(Math.Log(p[i]), log[i], 14);
    }

    [Fact]
    public void Softmax_AtLogitsPlusMinus1000_StaysFiniteAndExact()
    {
        // The naive formula gives e^1000 = ∞ and ∞/∞ = NaN here.
        Assert.True(double.IsNaN(Math.Exp(1000) / (Math.Exp(1000) + Math.Exp(1000))));

        var p = StableSoftmax.Softmax([1000, 1000, 999]);
        var e = Math.Exp(-1);
        Assert.Equal(1 / (2 + e), p[0], 15);
        Assert.Equal(e / (2 + e), p[2], 15);
        var shifted = StableSoftmax.Softmax([-1000, -1000, -1001]); // naive: 0/0 = NaN
        var small = StableSoftmax.Softmax([1, 1, 0]);
        for (var i = 0; i < 3; i++)
            Assert.Equal(small[i], shifted[i], 15);

        var mixed = StableSoftmax.Softmax([1000, -1000, 0]);
        Assert.Equal([1.0, 0.0, 0.0], mixed);
        // log-softmax keeps what softmax must round to 0: log p = z − logsumexp(z), and logsumexp = 1000 + log(1 + e^−1000 + e^−2000) = 1000.
        Assert.Equal([0.0, -2000.0, -1000.0], StableSoftmax.LogSoftmax([1000, -1000, 0]));
        Assert.Equal(1000 + Math.Log(2), StableSoftmax.LogSumExp([1000, 1000]), 12);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(3.0, -1.5)]
    [InlineData(1000.0, -1000.0)]
    [InlineData(-40.0, 0.25)]
    public void SoftmaxOfTwoLogits_IsTheSigmoidOfTheirDifference(double a, double b)
    {
        var p = StableSoftmax.Softmax([a, b]);
        Assert.Equal(StableSoftmax.Sigmoid(a - b), p[0], 15);
        Assert.Equal(StableSoftmax.Sigmoid(b - a), p[1], 15);
    }

    [Fact]
    public void Sigmoid_AndItsDerivative_MatchClosedFormsAndFiniteDifferences()
    {
        Assert.Equal(0.5, StableSoftmax.Sigmoid(0));
        Assert.Equal(0.25, StableSoftmax.SigmoidDerivative(0));
        Assert.Equal(1 / (1 + Math.Exp(-2)), StableSoftmax.Sigmoid(2), 15);
        Assert.Equal(0, 1 / (1 + Math.Exp(720))); // the naive formula overflows to 1/∞ = 0 …
        Assert.Equal(Math.Exp(-720), StableSoftmax.Sigmoid(-720)); // … the stable one keeps e^−720 ≈ 2e−313
        Assert.True(StableSoftmax.Sigmoid(-720) > 0);
        foreach (var z in new[] { -3.0, -0.5, 0.7, 4.0 })
        {
            const double h = 1e-6;
            var numeric = (StableSoftmax.Sigmoid(z + h) - StableSoftmax.Sigmoid(z - h)) / (2 * h);
            Assert.Equal(numeric, StableSoftmax.SigmoidDerivative(z), 9);
        }
    }

    [Fact]
    public void BadLogits_AreRejectedWithAClearError()
    {
        Assert.Throws<ArgumentException>(() => StableSoftmax.Softmax([]));
        var e = Assert.Throws<ArgumentException>(() => StableSoftmax.LogSoftmax([1, double.NaN]));
        Assert.Contains("index 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TorchSharpSoftmaxAndLogSoftmax_AgreeWithThePlainVersions_AtOrdinaryAndExtremeLogits()
    {
        foreach (var logits in SoftmaxCheck.LessonLogits)
        {
            var check = SoftmaxCheck.Compare(logits);
            Assert.True(check.AllFinite, $"non-finite result for [{string.Join(", ", logits)}]");
            Assert.True(check.MaxSoftmaxDifference < 1e-15, $"softmax differs by {check.MaxSoftmaxDifference}");
            Assert.True(check.MaxLogSoftmaxDifference < 1e-12, $"log-softmax differs by {check.MaxLogSoftmaxDifference}");
        }
        var mixed = SoftmaxCheck.Compare([1000, -1000, 0]);
        Assert.Equal([0.0, -2000.0, -1000.0], mixed.LogSoftmax);
        Assert.Equal([1.0, 0.0, 0.0], mixed.Softmax);
    }
}
