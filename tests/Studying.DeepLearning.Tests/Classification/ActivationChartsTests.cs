using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Tests.Classification;

[Trait("Tier", "unit")]
public class ActivationChartsTests
{
    [Fact]
    public void SigmoidChart_DrawsSigmoidAndDerivative_ThroughTheirKnownValues()
    {
        var figure = ActivationCharts.SigmoidWithDerivative();
        var sigmoid = (ScatterTrace)figure.Traces[0];
        var derivative = (ScatterTrace)figure.Traces[1];
        var middle = sigmoid.X.ToList().IndexOf(0);
        Assert.Equal(0.5, sigmoid.Y[middle]);
        Assert.Equal(0.25, derivative.Y[middle]);
        Assert.Equal(derivative.Y.Max(), derivative.Y[middle]);
        Assert.True(sigmoid.Y.Zip(sigmoid.Y.Skip(1)).All(p => p.First < p.Second), "σ increases");
    }

    [Fact]
    public void SoftmaxChart_ProbabilitiesSumToOne_AndTheVaryingClassRises()
    {
        var traces = ActivationCharts.SoftmaxAsOneLogitVaries().Traces.Cast<ScatterTrace>().ToArray();
        for (var i = 0; i < traces[0].X.Count; i++)
            Assert.Equal(1, traces.Sum(t => t.Y[i]), 12);
        Assert.True(traces[0].Y[0] < 0.01 && traces[0].Y[^1] > 0.99);
        var atOne = traces[0].X.ToList().IndexOf(1);
        Assert.Equal(traces[0].Y[atOne], traces[1].Y[atOne], 12); // equal logits, equal probabilities
    }

    [Fact]
    public void SaveSigmoidPicture_WritesAPng()
    {
        var folder = Path.Combine(Path.GetTempPath(), "sigmoid-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(folder, "img", "sigmoid_plot.png");
            ActivationCharts.SaveSigmoidPicture(path, 400, 250);
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            Assert.True(bytes.Length > 5000);
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }
}
