using TorchSharp;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Tests.Training;

[Trait("Tier", "unit")]
public class ComputeDeviceTests
{
    [Theory]
    [InlineData(null, false, "cpu")]
    [InlineData("", true, "cuda:0")]
    [InlineData("auto", false, "cpu")]
    [InlineData(" AUTO ", true, "cuda:0")]
    [InlineData("cpu", true, "cpu")]
    [InlineData("cuda", true, "cuda:0")]
    [InlineData("cuda:1", true, "cuda:1")]
    public void Resolve_FollowsTheRequestAndWhatIsAvailable(string? requested, bool cuda, string expected) =>
        Assert.Equal(expected, ComputeDevice.Resolve(requested, cuda).ToString());

    [Theory]
    [InlineData("cuda")]
    [InlineData("cuda:0")]
    public void Resolve_RefusesCudaWithoutAGpuBuild_AndSaysWhatToReference(string requested)
    {
        var e = Assert.Throws<ArgumentException>(() => ComputeDevice.Resolve(requested, cudaAvailable: false));
        Assert.Contains("TorchSharp-cpu is CPU-only", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:x")]
    [InlineData("cuda:-1")]
    public void Resolve_RefusesUnknownNames(string requested)
    {
        var e = Assert.Throws<ArgumentException>(() => ComputeDevice.Resolve(requested, cudaAvailable: true));
        Assert.Contains("use cpu, cuda, cuda:N or auto", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Current_IsTheCpuWithThisProjectsCpuBuild_AndHoldsCpuTensors()
    {
        Assert.Equal(DeviceType.CPU, ComputeDevice.Current.type);
        Assert.Equal("cpu", ComputeDevice.Name);
        using var t = torch.zeros(2);
        Assert.True(ComputeDevice.Holds(ComputeDevice.Current, t));
        Assert.False(ComputeDevice.Holds(new torch.Device(DeviceType.CUDA, 0), t));
    }
}
