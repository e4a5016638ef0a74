using System.Text.Json;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;
using Studying.DeepLearning.ResNet;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.Cli;

[Collection(SeededTorchRandom.Name)]
[Trait("Tier", "cli")]
public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("studydl-cli-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public async Task Evaluate_PyTorchWeights_PrintsTheLibrarysTestAccuracy()
    {
        TorchRuntime.EnsureLoaded();
        var splits = IdxDataSet.FashionMnist.Load(DataSetSources.Default(null));
        var weights = Path.Combine(_out, "resnet20.pt");
        EvaluationResult expected;
        torch.random.manual_seed(11);
        using (var model = ResNetModels.ResNet20(10, inputChannels: 1))
        {
            // A few training-mode passes over real images give the batch norms real statistics.
            model.train();
            using (no_grad())
            using (var x = splits.Train.Subset([.. Enumerable.Range(0, 64)], "warm-up").ToTensor())
                model.call((x - x.mean()) / x.std()).Dispose();
            ModelWeights.SavePyTorch(model, weights);
            var test = splits.Test.Subset([.. Enumerable.Range(0, 500)], "test subset");
            var options = new ImageBatchOptions(256, Shuffle: false, Normalization: ImageNormalization.Compute(splits.Train));
            expected = Trainer.Evaluate(model, new ImageBatchSource(test, options));
        }

        var (exitCode, stdout, stderr) = await StudydlProcess.RunAsync("evaluate", "--model", "resnet20", "--weights", weights,
            "--dataset", "fashion-mnist", "--test-limit", "500", "--json");

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("PyTorch", json.RootElement.GetProperty("format").GetString());
        Assert.Equal(500, json.RootElement.GetProperty("testImages").GetInt64());
        Assert.Equal(expected.Accuracy, json.RootElement.GetProperty("testAccuracy").GetDouble());
        Assert.Equal(expected.Loss, json.RootElement.GetProperty("testLoss").GetDouble(), 1e-6);
    }

    [Fact]
    public async Task Evaluate_WeightsOfAnotherArchitecture_FailsWithAMessageNamingTheFile()
    {
        var weights = Path.Combine(_out, "resnet20.safetensors");
        TorchRuntime.EnsureLoaded();
        using (var model = ResNetModels.ResNet20(10, inputChannels: 1))
            ModelWeights.SaveSafetensors(model, weights);

        var (exitCode, _, stderr) = await StudydlProcess.RunAsync("evaluate", "--model", "resnet32", "--weights", weights, "--test-limit", "10");

        Assert.Equal(1, exitCode);
        Assert.Contains(weights, stderr.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("nothing was loaded", stderr, StringComparison.Ordinal);
    }
}
