using System.Text.Json;

namespace Studying.DeepLearning.Tests.Cli;

public sealed class ResNetCommandTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("studydl-cli-").FullName;

    [Fact]
    public async Task Json_ListsEveryNetworkWithItsReferenceCount()
    {
        var (exitCode, stdout, stderr) = await StudydlProcess.RunAsync("resnet", "--json", "--out", _out);

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal(853_018, rows["resnet56"].GetProperty("parameters").GetInt64());
        Assert.Equal(11_173_962, rows["cifar-resnet18"].GetProperty("parameters").GetInt64());
        Assert.All(rows.Values.Where(r => r.GetProperty("referenceParameters").ValueKind == JsonValueKind.Number),
            r => Assert.Equal(r.GetProperty("referenceParameters").GetInt64(), r.GetProperty("parameters").GetInt64()));
    }

    [Fact]
    public async Task Degradation_Json_ReportsEveryNetworkAndWritesBothCharts()
    {
        var (exitCode, stdout, stderr) = await StudydlProcess.RunAsync("resnet", "degradation", "--models", "plain20,resnet20",
            "--train-samples", "200", "--test-samples", "100", "--epochs", "1", "--batch-size", "50", "--json", "--out", _out);

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["Plain-20", "ResNet-20"], runs.Select(r => r.GetProperty("displayName").GetString()));
        Assert.All(runs, r => Assert.Equal(20, r.GetProperty("gradients").GetArrayLength()));
        Assert.True(File.Exists(Path.Combine(_out, "degradation", "plain-vs-residual.html")));
        Assert.True(File.Exists(Path.Combine(_out, "degradation", "gradient-norms.html")));
    }

    [Theory]
    [InlineData("--models", "resnet21", "Unknown network 'resnet21'")]
    [InlineData("--epochs", "0", "Epochs")]
    public async Task Degradation_BadOptions_FailWithAMessage_NotACrash(string option, string value, string expected)
    {
        var (exitCode, _, stderr) = await StudydlProcess.RunAsync("resnet", "degradation", option, value, "--out", _out);

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_out, recursive: true);
}
