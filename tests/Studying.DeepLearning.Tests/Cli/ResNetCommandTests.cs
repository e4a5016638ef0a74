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

    public void Dispose() => Directory.Delete(_out, recursive: true);
}
