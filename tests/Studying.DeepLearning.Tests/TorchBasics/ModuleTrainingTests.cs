using Studying.DeepLearning.TorchBasics;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Tests.TorchBasics;

[Collection(SeededTorchRandom.Name)]
[Trait("Tier", "unit")]
public class ModuleTrainingTests
{
    private static readonly double[] X = [1, 2, 3];
    private static readonly double[] Y = [2, 4, 6];

    public ModuleTrainingTests() => TorchRuntime.EnsureLoaded();

    /// <summary>Full-batch gradient descent on L = Σ(wx + b − y)² in plain C#.</summary>
    private static (double W, double B) Recursion(double w, double b, double rate, int epochs)
    {
        for (var e = 0; e < epochs; e++)
        {
            double gw = 0, gb = 0;
            for (var i = 0; i < X.Length; i++)
            {
                var r = w * X[i] + b - Y[i];
                gw += 2 * r * X[i];
                gb += 2 * r;
            }
            (w, b) = (w - rate * gw, b - rate * gb);
        }
        return (w, b);
    }

    [Fact]
    public void CustomModule_MatchesHandComputedSgd_AndPredictsAbout8()
    {
        random.manual_seed(1);
        using var model = new LinearRegressionModule();
        var run = ModuleTraining.Train(model, X, Y, new ModuleTrainingOptions());

        Assert.Equal(["linear.weight", "linear.bias"], run.ParameterNames);
        var (w, b) = Recursion(run.InitialParameters[0], run.InitialParameters[1], 0.01, 500);
        Assert.Equal(w, run.FinalParameters[0], 10);
        Assert.Equal(b, run.FinalParameters[1], 10);
        Assert.Equal(4 * w + b, run.PredictionAtFour, 10);
        Assert.Equal(8, run.PredictionAtFour, 0.1);
        Assert.Equal(501, run.Losses.Count);
        Assert.True(run.Losses[^1] < run.Losses[0]);
    }

    [Fact]
    public void CustomModuleAndSequential_FromTheSameStart_TrainIdentically()
    {
        random.manual_seed(5);
        using var custom = new LinearRegressionModule();
        using var sequential = ModuleTraining.CreateSequential();
        ModuleTraining.CopyParameters(custom, sequential);

        var a = ModuleTraining.Train(custom, X, Y, new ModuleTrainingOptions(Epochs: 100));
        var b = ModuleTraining.Train(sequential, X, Y, new ModuleTrainingOptions(Epochs: 100));

        Assert.Equal(a.InitialParameters, b.InitialParameters);
        Assert.Equal(a.FinalParameters, b.FinalParameters);
        Assert.Equal(a.Losses, b.Losses);
        Assert.Equal(["0.weight", "0.bias"], b.ParameterNames);
    }

    [Fact]
    public void MeanReduction_TakesStepsNTimesSmaller()
    {
        // With the mean the gradient is 1/n of the sum's: one step at η with Mean equals one step at η/n with Sum.
        random.manual_seed(3);
        using var one = new LinearRegressionModule();
        using var two = new LinearRegressionModule();
        ModuleTraining.CopyParameters(one, two);
        var mean = ModuleTraining.Train(one, X, Y, new ModuleTrainingOptions(0.03, 1, nn.Reduction.Mean));
        var sum = ModuleTraining.Train(two, X, Y, new ModuleTrainingOptions(0.01, 1, nn.Reduction.Sum));
        Assert.Equal(sum.FinalParameters[0], mean.FinalParameters[0], 12);
        Assert.Equal(sum.FinalParameters[1], mean.FinalParameters[1], 12);
    }

    [Fact]
    public void CountParameters_CountsWeightsAndBiases()
    {
        using var model = new LinearRegressionModule();
        Assert.Equal(2, ModuleTraining.CountParameters(model));
        using var mlp = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 1));
        Assert.Equal(3 * 5 + 5 + 5 + 1, ModuleTraining.CountParameters(mlp));
    }

    [Fact]
    public void ModelWithTheWrongShape_IsRejectedBeforeAnyNativeCall()
    {
        using var wide = nn.Sequential(nn.Linear(3, 1, dtype: ScalarType.Float64));
        var e = Assert.Throws<ArgumentException>(() => ModuleTraining.Train(wide, X, Y, new ModuleTrainingOptions()));
        Assert.Contains("takes 3 features", e.Message, StringComparison.Ordinal);
        using var model = new LinearRegressionModule();
        Assert.Throws<ArgumentException>(() => ModuleTraining.CopyParameters(wide, model));
    }

    [Fact]
    public void BadSchedule_IsRejected()
    {
        using var model = new LinearRegressionModule();
        Assert.Throws<ArgumentOutOfRangeException>(() => ModuleTraining.Train(model, X, Y, new ModuleTrainingOptions(LearningRate: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModuleTraining.Train(model, X, Y, new ModuleTrainingOptions(Epochs: 0)));
        Assert.Throws<ArgumentException>(() => ModuleTraining.Train(model, X, [1.0], new ModuleTrainingOptions()));
    }

    [Fact]
    public void TooLargeRate_IsStoppedAsDivergent()
    {
        random.manual_seed(1);
        using var model = new LinearRegressionModule();
        var run = ModuleTraining.Train(model, X, Y, new ModuleTrainingOptions(LearningRate: 0.5, Epochs: 500));
        Assert.NotNull(run.Divergence);
        Assert.True(run.Losses.Count < 500);
    }
}
