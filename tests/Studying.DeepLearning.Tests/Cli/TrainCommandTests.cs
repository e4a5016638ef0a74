using System.Text.Json;

namespace Studying.DeepLearning.Tests.Cli;

/// <summary><c>studydl train</c> takes every option it is not given from the model's recipe, and reports the settings used.</summary>
[Trait("Tier", "cli")]
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("studydl-train-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task OptionsNotGiven_ComeFromTheModelsRecipe_GivenOnesWin()
    {
        var (code, stdout, stderr) = await StudydlProcess.RunAsync("train", "--model", "mlp", "--dataset", "iris", "--epochs", "2", "--json", "--out", Path.Combine(_root, "a"));
        Assert.True(code == 0, stderr);
        var settings = JsonDocument.Parse(stdout).RootElement.GetProperty("settings");
        Assert.Equal(2, settings.GetProperty("epochs").GetInt32());
        Assert.Equal(0.001, settings.GetProperty("learningRate").GetDouble());
        Assert.Equal("Cosine", settings.GetProperty("schedule").GetString());
        Assert.Equal("Adam", settings.GetProperty("optimizer").GetString());

        (code, stdout, stderr) = await StudydlProcess.RunAsync("train", "--model", "mlp", "--dataset", "iris", "--epochs", "1", "--lr", "0.01",
            "--schedule", "constant", "--optimizer", "sgd", "--weight-decay", "0.5", "--json", "--out", Path.Combine(_root, "b"));
        Assert.True(code == 0, stderr);
        settings = JsonDocument.Parse(stdout).RootElement.GetProperty("settings");
        Assert.Equal((0.01, "Constant", "Sgd", 0.5), (settings.GetProperty("learningRate").GetDouble(), settings.GetProperty("schedule").GetString(),
            settings.GetProperty("optimizer").GetString(), settings.GetProperty("weightDecay").GetDouble()));
    }

    [Fact]
    public async Task AugmentAndNoAugment_AreRefusedTogether()
    {
        var (code, _, stderr) = await StudydlProcess.RunAsync("train", "--model", "cnn", "--augment", "--no-augment", "--out", Path.Combine(_root, "c"));
        Assert.Equal(CliAssert.Usage, code);
        Assert.Contains("--augment and --no-augment", stderr, StringComparison.Ordinal);
    }
}
