using Studying.DeepLearning.Interactive;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Tests.Interactive;

[Trait("Tier", "unit")]
public class NotebookFormattingTests
{
    [Fact]
    public void FormatTensorText_ShowsShapeTypeAndValues()
    {
        TorchRuntime.EnsureLoaded();
        using var t = tensor(new float[] { 1.5f, -2f, 3f, 4.25f }, [2, 2]);

        var text = Notebook.FormatTensorText(t);

        Assert.StartsWith("tensor [2, 2] Float32", text, StringComparison.Ordinal);
        Assert.Contains("1.5", text, StringComparison.Ordinal);
        Assert.Contains("4.25", text, StringComparison.Ordinal);
        Assert.DoesNotContain("TorchSharp.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatTensorText_MarksTensorsThatRequireGradients()
    {
        TorchRuntime.EnsureLoaded();
        using var w = ones(3, requires_grad: true);

        Assert.Contains("requires_grad", Notebook.FormatTensorText(w), StringComparison.Ordinal);
    }
}
