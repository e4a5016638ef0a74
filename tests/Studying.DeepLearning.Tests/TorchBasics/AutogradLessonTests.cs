using System.Text.Json;
using Studying.DeepLearning.TorchBasics;
using Xunit.Abstractions;

namespace Studying.DeepLearning.Tests.TorchBasics;

[Trait("Tier", "unit")]
[Collection(ImplicitScalarRace.Name)]
public class AutogradLessonTests(ITestOutputHelper output)
{
    [Fact]
    public void Run_ReproducesTheNotebooks_AndSerialisesToJson()
    {
        var lines = new List<string>();
        var report = AutogradLesson.Run(new SynchronousProgress(lines.Add));

        Assert.Equal([true, true, true, true, false], report.GradientChecks.Select(c => c.Passed));
        Assert.Equal(7.80, report.ZeroedGradients.PredictionAfter, 2);
        Assert.True(Math.Abs(report.AccumulatedGradients.PredictionAfter - 8) > 3);
        Assert.Equal(2, report.Modules.ParameterCount);
        Assert.Equal(report.Modules.CustomModule.FinalParameters, report.Modules.Sequential.FinalParameters);
        Assert.Equal(8, report.Modules.CustomModule.PredictionAtFour, 0.1);
        Assert.True(report.Backprop.MaxDifferenceFromAutograd < 1e-6);
        Assert.Equal(11, report.Backprop.Hand.Graph.Count);
        Assert.Equal(41, report.Quadratic.Fixed.PredictionAtFour, 0.01);
        Assert.True(report.Quadratic.Bug.Final.Loss > 0.01);
        Assert.Equal(["backprop-gradients", "module-loss", "quadratic-loss", "zero-grad-gradients", "zero-grad-weights"], report.Figures.Keys.Order());
        Assert.Equal(5, lines.Count);

        var json = JsonSerializer.Serialize(report);
        Assert.DoesNotContain("Figures", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(30, document.RootElement.GetProperty("ZeroedGradients").GetProperty("Updates").GetArrayLength());
        foreach (var line in lines)
            output.WriteLine(line);
    }

    [Fact]
    public void Run_IsCancellable()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => AutogradLesson.Run(cancellationToken: cancellation.Token));
    }

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
