using System.Text.Json;
using Studying.DeepLearning.Classification;

namespace Studying.DeepLearning.Tests.Classification;

[Trait("Tier", "unit")]
public class LogisticRegressionLessonTests
{
    [Fact]
    public void Run_ChecksEverythingAgainstPlainCSharp_AndSerialisesWithoutFigures()
    {
        var lines = new List<string>();
        var report = LogisticRegressionLesson.Run(new SynchronousProgress(lines.Add));

        Assert.All(report.Softmax, c => Assert.True(c.AllFinite && c.MaxSoftmaxDifference < 1e-15 && c.MaxLogSoftmaxDifference < 1e-12));
        Assert.True(report.Logistic.HandStepsMaxDifference < 1e-10);
        Assert.True(report.Logistic.RegularisedMaxDifference < 1e-9);
        Assert.True(report.Logistic.FinalGradientNorm > 1e-3); // separable: still descending
        Assert.True(report.Logistic.Run.PassProbabilityAt1Hour < 0.5 && report.Logistic.Run.PassProbabilityAt7Hours > 0.5);
        Assert.True(report.Relu.PassProbabilityAt7Hours > 0.5 && report.LeakyRelu.PassProbabilityAt7Hours > 0.5);
        Assert.Equal(["sigmoid_plot", "softmax-sweep", "pass-probability", "hours-loss"], report.Figures.Keys);
        Assert.Equal(3, lines.Count);

        var json = JsonSerializer.Serialize(report);
        Assert.DoesNotContain("Figures", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(report.Logistic.Run.DecisionBoundary, document.RootElement.GetProperty("Logistic").GetProperty("Run").GetProperty("DecisionBoundary").GetDouble());
    }

    [Fact]
    public void Run_StopsWhenCancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => LogisticRegressionLesson.Run(cancellationToken: cts.Token));
    }

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
