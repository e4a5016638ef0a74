using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using TorchSharp;

namespace Studying.DeepLearning.Tests.Infrastructure;

/// <summary>Independent sources of truth for the native-library tests: the pristine file and readelf.</summary>
internal static class NativeTestFiles
{
    public const string Entry = "runtimes/linux-x64/native/libLibTorchSharp.so";

    /// <summary>The torchsharp .nupkg in the NuGet cache: its libLibTorchSharp.so was never patched.</summary>
    public static string Nupkg
    {
        get
        {
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
            if (string.IsNullOrEmpty(packages))
            {
                packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            }

            var version = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
            return Path.Combine(packages, "torchsharp", version, $"torchsharp.{version}.nupkg");
        }
    }

    /// <summary>Extracts the unpatched libLibTorchSharp.so from the .nupkg into <paramref name="folder"/>.</summary>
    public static string ExtractPristine(string folder)
    {
        var path = Path.Combine(folder, "libLibTorchSharp.so");
        using var zip = ZipFile.OpenRead(Nupkg);
        zip.GetEntry(Entry)!.ExtractToFile(path);
        return path;
    }

    /// <summary>Output of <c>readelf</c> with the given arguments, or null if readelf is not installed.</summary>
    public static string? ReadElf(string arguments, string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("readelf", $"{arguments} \"{path}\"")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

/// <summary>A temporary folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sdl-native-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
