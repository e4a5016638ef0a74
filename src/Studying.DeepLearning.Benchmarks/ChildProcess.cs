using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Studying.DeepLearning.Benchmarks;

/// <summary>
/// Runs a measurement in a fresh copy of the current program, so that what the kernel counts per process (the peak
/// resident set, VmHWM) belongs to that measurement alone. The child prints its result as JSON on standard output.
/// </summary>
public static class ChildProcess
{
    /// <summary>Starts this program with <paramref name="arguments"/>, waits, and reads its standard output as a <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The result record the child serialises.</typeparam>
    /// <param name="arguments">The child's command line (e.g. <c>bench memory --variant scoped …</c>).</param>
    /// <param name="what">What the child measures, for error messages ("the 'scoped' variant").</param>
    /// <param name="json">The serialiser options the child wrote with.</param>
    /// <param name="cancellationToken">Kills the child (and its children) when cancelled.</param>
    /// <exception cref="InvalidOperationException">The child could not start, failed, or printed no result.</exception>
    public static T RunJson<T>(IEnumerable<string> arguments, string what, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find this program's path to start a child process.");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true };
        // Under `dotnet program.dll` the host is dotnet itself: pass the program's assembly first.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        using var kill = cancellationToken.Register(() => process.Kill(entireProcessTree: true));
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        cancellationToken.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"The child process measuring {what} failed with exit code {process.ExitCode}.");
        try
        {
            return JsonSerializer.Deserialize<T>(output, json)
                ?? throw new InvalidOperationException($"The child process measuring {what} printed no result.");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"The child process measuring {what} printed no readable result: {e.Message}", e);
        }
    }
}
