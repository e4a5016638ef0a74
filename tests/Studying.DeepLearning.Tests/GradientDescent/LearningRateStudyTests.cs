using Studying.DeepLearning.GradientDescent;

namespace Studying.DeepLearning.Tests.GradientDescent;

[Trait("Tier", "unit")]
public class LearningRateStudyTests
{
    private static readonly double[] X = [1, 2, 3];
    private static readonly double[] Y = [2, 4, 6];

    [Fact]
    public void CriticalRates_FollowFromTheMeanSquareInput()
    {
        Assert.Equal(3.0 / 28, LearningRateStudy.OptimalRate(X), 12);
        Assert.Equal(3.0 / 14, LearningRateStudy.DivergentRate(X), 12);
    }

    [Fact]
    public void OptimalRate_LandsOnTheMinimumInOneStep()
    {
        var run = SlopeDescent.Run(X, Y, new DescentOptions(LearningRateStudy.OptimalRate(X), 1, InitialSlope: -5));
        Assert.Equal(2, run.Path[1].Slope, 12);
    }

    [Fact]
    public void Regimes_MatchTheContractionFactor()
    {
        // r = 1 − 2η·14/3: 0.907 (creeps), 0.533 (good), −0.68 (oscillates), −1.33 (diverges).
        var results = LearningRateStudy.Compare(X, Y, [0.01, 0.05, 0.18, 0.25], epochs: 30);

        Assert.Equal(
            [LearningRateRegime.TooSmall, LearningRateRegime.Good, LearningRateRegime.Oscillating, LearningRateRegime.Divergent],
            results.Select(r => r.Regime));
    }

    [Fact]
    public void NoRates_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => LearningRateStudy.Compare(X, Y, []));
    }
}
