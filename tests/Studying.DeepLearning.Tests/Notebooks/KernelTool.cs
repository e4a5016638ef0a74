using System.Diagnostics;
using System.Text.Json;

namespace Studying.DeepLearning.Tests.Notebooks;

/// <summary>
/// The pinned notebook kernel tool (.config/dotnet-tools.json: microsoft.dotnet-interactive). Every test that needs
/// it — to start a kernel (<see cref="NotebookRunner"/>) or to read its files (FSharpCoreIsolationTests) — goes
/// through here, so the README's plain <c>dotnet test</c> works on a fresh machine without a prior
/// <c>dotnet tool restore</c>. The restore runs once per process and repository, under a lock, whichever test
/// class (they run in parallel) asks first; a failed restore is not remembered, so a later test tries again.
/// </summary>
internal static class KernelTool
{
    /// <summary>The tool's package id, as in .config/dotnet-tools.json.</summary>
    public const string PackageId = "microsoft.dotnet-interactive";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly HashSet<string> Restored = new(StringComparer.Ordinal);
    private static string? s_globalPackages;

    /// <summary>Runs <c>dotnet tool restore</c> in <paramref name="root"/> unless this process already did.</summary>
    /// <param name="root">The folder with .config/dotnet-tools.json.</param>
    /// <param name="cancellationToken">Cancels waiting for (and killing) the restore.</param>
    /// <exception cref="InvalidOperationException">The restore failed (its output is in the message).</exception>
    public static async Task EnsureRestoredAsync(DirectoryInfo root, CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Restored.Contains(root.FullName))
            {
                return;
            }

            var (exitCode, output) = await RunDotnetAsync(root, ["tool", "restore"], cancellationToken).ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"`dotnet tool restore` in {root.FullName} failed ({exitCode}):\n{output}");
            }

            Restored.Add(root.FullName);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// Restores the tool if needed and returns its package folder in the NuGet global packages folder
    /// (<c>&lt;global-packages&gt;/microsoft.dotnet-interactive/&lt;pinned version&gt;</c>), wherever NUGET_PACKAGES
    /// or a nuget.config puts that folder (asked of <c>dotnet nuget locals</c>).
    /// </summary>
    /// <param name="root">The folder with .config/dotnet-tools.json; null finds it above the test assembly.</param>
    /// <param name="cancellationToken">Cancels the restore.</param>
    public static async Task<string> PackageFolderAsync(DirectoryInfo? root = null, CancellationToken cancellationToken = default)
    {
        root ??= NotebookRunner.FindRepositoryRoot();
        await EnsureRestoredAsync(root, cancellationToken).ConfigureAwait(false);
        var folder = Path.Combine(await GlobalPackagesAsync(root, cancellationToken).ConfigureAwait(false), PackageId, PinnedVersion(root));
        return Directory.Exists(folder)
            ? folder
            : throw new DirectoryNotFoundException($"`dotnet tool restore` succeeded but {folder} does not exist.");
    }

    /// <summary>The version of the tool pinned in <paramref name="root"/>'s .config/dotnet-tools.json.</summary>
    /// <param name="root">The folder with .config/dotnet-tools.json.</param>
    public static string PinnedVersion(DirectoryInfo root)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root.FullName, ".config", "dotnet-tools.json")));
        return manifest.RootElement.GetProperty("tools").GetProperty(PackageId).GetProperty("version").GetString()!;
    }

    private static async Task<string> GlobalPackagesAsync(DirectoryInfo root, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (s_globalPackages is null)
            {
                // "global-packages: /root/.nuget/packages/" — honours NUGET_PACKAGES and nuget.config like restore does.
                var (exitCode, output) = await RunDotnetAsync(root, ["nuget", "locals", "global-packages", "--list"], cancellationToken).ConfigureAwait(false);
                const string Prefix = "global-packages:";
                var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal));
                if (exitCode != 0 || line is null)
                {
                    throw new InvalidOperationException($"`dotnet nuget locals global-packages --list` failed ({exitCode}):\n{output}");
                }

                s_globalPackages = line[Prefix.Length..].Trim();
            }

            return s_globalPackages;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<(int ExitCode, string Output)> RunDotnetAsync(
        DirectoryInfo workingDirectory, string[] arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }
}
