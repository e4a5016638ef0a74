using System.Text.Json;

namespace Studying.DeepLearning.Tests.Cli;

[Trait("Tier", "cli")]
public sealed class BasicsAndBenchCommandTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("studydl-cli-").FullName;

    [Fact]
    public async Task Basics_Json_CarriesEverySectionsNumbers()
    {
        var (exitCode, stdout, stderr) = await StudydlProcess.RunAsync("basics", "--json", "--out", _out);

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(7.8049, root.GetProperty("autograd").GetProperty("zeroedGradients").GetProperty("predictionAfter").GetDouble(), 4);
        Assert.True(root.GetProperty("autograd").GetProperty("backprop").GetProperty("maxDifferenceFromAutograd").GetDouble() < 1e-6);
        Assert.All(root.GetProperty("losses").GetProperty("checks").EnumerateArray(), c =>
            Assert.Equal(c.GetProperty("closedForm").GetDouble(), c.GetProperty("torchSharp").GetDouble(), 6));
        Assert.All(root.GetProperty("optimizers").GetProperty("scratchChecks").EnumerateArray(), c =>
            Assert.True(c.GetProperty("maxDifference").GetDouble() < 1e-6));
        Assert.True(File.Exists(Path.Combine(_out, "basics", "paths-rosenbrock.html")));
    }

    [Fact]
    public async Task BenchLoader_Json_ReportsBothLoaders()
    {
        var (exitCode, stdout, stderr) = await StudydlProcess.RunAsync(
            "bench", "loader", "--batches", "4", "--batch-size", "2", "--item-ms", "1", "--item-cpu-ms", "0", "--workers", "1", "--json", "-o", _out);

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var rows = json.RootElement.GetProperty("scenarios")[0].GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        // Timings are the bench command's business (it prints the ratios); here only that each is a measured, finite ratio.
        Assert.All(rows, r => Assert.True(double.IsFinite(r.GetProperty("epochOverTraining").GetDouble()) && r.GetProperty("epochOverTraining").GetDouble() > 0));
        Assert.Equal(2, rows.Select(r => r.GetProperty("loader").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task BenchLoader_RejectsANegativeBatchSize()
    {
        var (exitCode, _, stderr) = await StudydlProcess.RunAsync("bench", "loader", "--batch-size", "-3", "-o", _out);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("batch", stderr, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => Directory.Delete(_out, recursive: true);
}
