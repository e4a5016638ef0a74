using System.Text.Json;

namespace Studying.DeepLearning.Tests.Cli;

[Trait("Tier", "cli")]
public sealed class GradientDescentCommandTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("studydl-cli-").FullName;

    [Fact]
    public async Task Json_PrintsOneObjectOnStdout_AndWritesChartsAndReport()
    {
        var (exitCode, stdout, stderr) = await StudydlProcess.RunAsync("gd", "--json", "--out", _out);

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout); // the whole of stdout is one JSON object
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("perSample").GetProperty("finalSlope").GetDouble(), 9);
        Assert.Equal(8, root.GetProperty("perSample").GetProperty("predictionAtFour").GetDouble(), 8);
        Assert.Equal("Divergent", root.GetProperty("learningRates")[3].GetProperty("regime").GetString());
        Assert.True(root.GetProperty("featureScaling").GetProperty("rawDivergence").GetProperty("step").GetInt32() >= 0);

        var folder = Path.Combine(_out, "gd");
        Assert.Equal(stdout.Trim(), (await File.ReadAllTextAsync(Path.Combine(folder, "report.json"))).Trim());
        var html = await File.ReadAllTextAsync(Path.Combine(folder, "GD.html"));
        Assert.Contains("Plotly.newPlot", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"<script[^>]*src=[""']https?:", html); // self-contained: no script from the network
        Assert.Contains("1-1 fitted", stderr, StringComparison.Ordinal); // progress goes to stderr
    }

    [Fact]
    public async Task UnknownOption_FailsWithAMessage()
    {
        var (exitCode, _, stderr) = await StudydlProcess.RunAsync("gd", "--no-such-option");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("no-such-option", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_out, recursive: true);
}
