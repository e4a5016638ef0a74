using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Studying.DeepLearning.Notebooks;
using static Studying.DeepLearning.Tests.Cli.BadInputFiles;

namespace Studying.DeepLearning.Tests.Cli;

/// <summary>
/// Failures that happen while working — divergence, a corrupt checkpoint on --resume, Ctrl+C — and the good path's
/// record of its inputs: one line and exit 1 (130 for Ctrl+C), nothing overwritten.
/// </summary>
[Trait("Category", "cli")]
[Trait("Tier", "cli")]
public sealed class RuntimeFailureTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string GoodData()
    {
        var data = Path.Combine(_temp.Path, "data");
        Write(data, GoodIdx());
        return data;
    }

    [Fact]
    public async Task HugeLearningRate_EndsInTheTrainersDivergenceSentence_Exit1()
    {
        var data = GoodData();
        var output = Path.Combine(_temp.Path, "out");

        var result = await StudydlProcess.RunAsync("train", "--model", "softmax", "--epochs", "2", "--lr", "1e308", "--data", data, "--out", output);

        CliAssert.OneErrorLine(result, CliAssert.Runtime, "Diverged in epoch 1", "learning rate");
        Assert.False(File.Exists(Path.Combine(output, "report.json")), "a diverged run wrote a report");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("empty")]
    public async Task Resume_FromACorruptCheckpoint_OneLineNamingIt_CheckpointKept(string damage)
    {
        var data = GoodData();
        var checkpoints = Path.Combine(_temp.Path, "ck");
        var output = Path.Combine(_temp.Path, "out");
        var first = await StudydlProcess.RunAsync("train", "--model", "softmax", "--epochs", "1", "--data", data, "--checkpoints", checkpoints, "--out", output);
        Assert.True(first.ExitCode == 0, first.StandardError);
        var last = Path.Combine(checkpoints, "last.ckpt");
        var bytes = File.ReadAllBytes(last);
        File.WriteAllBytes(last, damage switch
        {
            "garbage" => "not a checkpoint"u8.ToArray(),
            "truncated" => bytes[..(bytes.Length / 2)],
            _ => [],
        });
        var before = Snapshot(checkpoints, output, data);

        var result = await StudydlProcess.RunAsync("train", "--model", "softmax", "--epochs", "2", "--data", data, "--checkpoints", checkpoints, "--resume", "--out", output);

        CliAssert.OneErrorLine(result, CliAssert.Runtime, "last.ckpt");
        Assert.Equal(before, Snapshot(checkpoints, output, data));
    }

    [Fact]
    public async Task ModelName_IsCaseInsensitive_AndTheReportRecordsEachDataFileWithItsSha256()
    {
        var data = GoodData();
        var output = Path.Combine(_temp.Path, "out");

        var (code, _, stderr) = await StudydlProcess.RunAsync("train", "--model", "MLP", "--dataset", "Fashion-MNIST", "--epochs", "1", "--data", data, "--out", output);

        Assert.True(code == 0, stderr);
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json"))).RootElement;
        Assert.Equal("mlp", report.GetProperty("model").GetString());
        var recorded = report.GetProperty("dataFiles").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => (f.GetProperty("sha256").GetString(), f.GetProperty("bytes").GetInt64()));
        var expected = new[] { TrainImages, TrainLabels, TestImages, TestLabels }.Select(f => Path.Combine(data, f))
            .ToDictionary(p => p, p => ((string?)Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p))), new FileInfo(p).Length));
        Assert.Equal(expected, recorded);
    }

    [SigIntFact]
    public async Task CtrlC_DuringTraining_OneLine_Exit130()
    {
        var data = GoodData();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var cli = Path.Combine(NotebookRunner.FindRepositoryRoot().FullName, "src", "Studying.DeepLearning.Cli", "bin", configuration, "net10.0", "studydl.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { cli, "train", "--model", "mlp", "--epochs", "10000", "--batch-size", "4", "--data", data, "--out", Path.Combine(_temp.Path, "out") })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = new System.Text.StringBuilder();
        var trained = new TaskCompletionSource();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
                stderr.AppendLine(e.Data);
            if (e.Data?.Contains("epoch 1 train", StringComparison.Ordinal) == true)
                trained.TrySetResult();
        };
        process.BeginErrorReadLine();
        await trained.Task.WaitAsync(TimeSpan.FromMinutes(2));

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        process.WaitForExit();

        CliAssert.OneErrorLine((process.ExitCode, await stdout, stderr.ToString()), CliAssert.Cancelled, "cancel");
    }

    public void Dispose() => _temp.Dispose();
}
