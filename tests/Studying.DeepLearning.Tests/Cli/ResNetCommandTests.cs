using System.Text.Json;

namespace Studying.DeepLearning.Tests.Cli;

[Trait("Tier", "cli")]
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
    [InlineData("--models", "resnet21", "--models: unknown name 'resnet21'")]
    [InlineData("--epochs", "0", "--epochs 0 is out of range")]
    public async Task Degradation_BadOptions_FailWithAMessage_NotACrash(string option, string value, string expected)
    {
        var (exitCode, _, stderr) = await StudydlProcess.RunAsync("resnet", "degradation", option, value, "--out", _out);

        Assert.Equal(2, exitCode); // a usage error, refused before any data is read
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_ResNet20_OnFashionMnist_ReportsItsParameters()
    {
        var (exitCode, stdout, stderr) = await StudydlProcess.RunAsync("train", "--model", "resnet20", "--train-limit", "200", "--epochs", "1",
            "--optimizer", "momentum", "--lr", "0.05", "--json", "--out", _out);

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("resnet20", json.RootElement.GetProperty("model").GetString());
        Assert.Equal(269_434, json.RootElement.GetProperty("parameters").GetInt64());
        Assert.InRange(json.RootElement.GetProperty("testAccuracy").GetDouble(), 0.0, 1.0);
    }

    [Theory]
    [InlineData("resnet18", "needs images of at least 32×32 pixels, but fashion-mnist")]
    [InlineData("resnet21", "--model: unknown name 'resnet21'; choose one of: softmax, mlp, cnn, lenet, resnet18")]
    public async Task Train_WithAModelThatCannotTakeTheData_FailsWithAMessage(string model, string expected)
    {
        var (exitCode, _, stderr) = await StudydlProcess.RunAsync("train", "--model", model, "--train-limit", "100", "--epochs", "1", "--out", _out);

        Assert.Equal(2, exitCode); // the options do not fit together: a usage error
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchResNet_Json_TinyRun_ReportsIdenticalWeightsAndAFreshProcessMemoryRun()
    {
        var (exitCode, stdout, stderr) = await StudydlProcess.RunAsync("bench", "resnet", "--model", "resnet20", "--batch-size", "4", "--steps", "2",
            "--warmup-steps", "0", "--rounds", "1", "--memory-steps", "3", "--memory-check-step", "2", "--sgemm-size", "64", "--sgemm-repeats", "1", "--json", "-o", _out);

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("sameWeights").GetBoolean());
        Assert.Equal(6.0 * root.GetProperty("multiplyAddsPerImage").GetInt64() * 4, root.GetProperty("trainingFlopsPerStep").GetDouble());
        Assert.True(root.GetProperty("sgemm").GetProperty("gflops").GetDouble() > 0);
        var memory = root.GetProperty("memory");
        Assert.True(memory.GetProperty("freshProcess").GetBoolean());
        Assert.Equal(3, memory.GetProperty("samples").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(_out, "report.json")));
        Assert.True(File.Exists(Path.Combine(_out, "resnet-step-memory.html")));
    }

    [LinuxFact]
    public async Task BenchResNet_MallocMmapThreshold_ReachesTheChildProcessAndTheReport()
    {
        var (exitCode, stdout, stderr) = await StudydlProcess.RunAsync("bench", "resnet", "--model", "resnet20", "--batch-size", "2", "--steps", "1",
            "--warmup-steps", "0", "--rounds", "1", "--memory-steps", "2", "--memory-check-step", "1", "--sgemm-size", "32", "--sgemm-repeats", "1",
            "--malloc-mmap-threshold", "1048576", "--json");

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(1048576, json.RootElement.GetProperty("options").GetProperty("mallocMmapThreshold").GetInt32());
        Assert.True(json.RootElement.GetProperty("memory").GetProperty("freshProcess").GetBoolean());
    }

    [Theory]
    [InlineData("--model", "resnet19", "--model: unknown name 'resnet19'")]
    [InlineData("--steps", "0", "--steps 0 is out of range")]
    [InlineData("--memory-loop", "sideways", "--memory-loop")]
    public async Task BenchResNet_RejectsBadOptions(string option, string value, string message)
    {
        var (exitCode, _, stderr) = await StudydlProcess.RunAsync("bench", "resnet", option, value, "-o", _out);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_out, recursive: true);
}
