using System.Text.Json;

namespace Studying.DeepLearning.Tests.Cli;

/// <summary><c>studydl train --model lenet</c>: notebook 3-3's LeNet-5, registered as a chapter-3 model.</summary>
[Trait("Tier", "cli")]
public sealed class LeNetTrainCommandTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("studydl-cli-").FullName;

    [Fact]
    public async Task Train_LeNet_OnFashionMnist_ReportsItsParameters()
    {
        var (exitCode, stdout, stderr) = await StudydlProcess.RunAsync("train", "--model", "lenet", "--train-limit", "200", "--epochs", "1", "--json", "--out", _out);

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("lenet", json.RootElement.GetProperty("model").GetString());
        Assert.Equal(61_706, json.RootElement.GetProperty("parameters").GetInt64()); // d2l's LeNet, counted in LeNet5Tests
        Assert.InRange(json.RootElement.GetProperty("testAccuracy").GetDouble(), 0.0, 1.0);
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
            Directory.Delete(_out, recursive: true);
    }
}
