using System.Diagnostics;
using System.Text;

namespace Studying.DeepLearning.Tests.Packaging;

/// <summary>Runs the dotnet CLI as a child process, as a developer would in a shell.</summary>
internal static class DotnetCli
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // The test host runs inside `dotnet test`; its MSBuild variables must not leak into an independent build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k == "DOTNET_HOST_PATH").ToList())
            start.Environment.Remove(name);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var output = new StringBuilder();
        var lockObject = new object();
        process.OutputDataReceived += (_, e) => { lock (lockObject) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (lockObject) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish within {timeout}:\n{output}");
        }
        process.WaitForExit();
        lock (lockObject)
            return (process.ExitCode, output.ToString());
    }
}
