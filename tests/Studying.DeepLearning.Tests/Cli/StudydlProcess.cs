using System.Diagnostics;
using Studying.DeepLearning.Notebooks;

namespace Studying.DeepLearning.Tests.Cli;

/// <summary>Runs the built <c>studydl</c> as a separate process and captures stdout and stderr apart.</summary>
internal static class StudydlProcess
{
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(params string[] arguments)
    {
        // The CLI is built in the same configuration as this test assembly (…/bin/<Configuration>/net10.0/).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var root = NotebookRunner.FindRepositoryRoot().FullName;
        var cli = Path.Combine(root, "src", "Studying.DeepLearning.Cli", "bin", configuration, "net10.0", "studydl.dll");
        Assert.True(File.Exists(cli), $"{cli} was not built");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
