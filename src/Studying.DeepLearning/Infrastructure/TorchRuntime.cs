using System.Reflection;
using System.Runtime.InteropServices;
using Studying.DeepLearning.Infrastructure;
using TorchSharp;

namespace Studying.DeepLearning.Infrastructure;

/// <summary>
/// Makes sure TorchSharp's native backend (libtorch on the CPU) is loaded, and explains why when it cannot be.
/// </summary>
/// <remarks>
/// TorchSharp-cpu's <c>libLibTorchSharp.so</c> needs GLIBCXX_3.4.32, which libstdc++ of older Linux distributions
/// (such as Debian 12) lacks, although nothing in it uses a symbol of that version. On such systems
/// <see cref="EnsureLoaded"/> first marks that one requirement weak in every copy of the file this process could
/// load (see the package's build step, which does the same at build time), then loads the backend. Call it before
/// the first TorchSharp operation, e.g. at the top of a notebook.
/// </remarks>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static volatile bool loaded;

    /// <summary>
    /// Loads TorchSharp's CPU backend once (thread-safe; later calls return at once), first making the native
    /// library loadable on this system where that is needed and safe.
    /// </summary>
    /// <exception cref="DllNotFoundException">
    /// The backend could not be loaded. The message names the cause found (such as a libstdc++ that is too old)
    /// and the remedy; <see cref="Exception.InnerException"/> is TorchSharp's own exception.
    /// </exception>
    public static void EnsureLoaded()
    {
        if (loaded)
        {
            return;
        }

        lock (Gate)
        {
            if (loaded)
            {
                return;
            }

            var problems = new List<string>();
            var system = OperatingSystem.IsLinux() ? LibStdCxxInfo.FindSystem() : null;
            if (LibTorchSharpNative.SystemNeedsPatch(system))
            {
                foreach (var copy in Copies())
                {
                    try
                    {
                        LibTorchSharpNative.Patch(copy);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException)
                    {
                        problems.Add(e.Message);
                    }
                }
            }

            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new DllNotFoundException(Diagnose(system, problems), e);
            }

            loaded = true;
        }
    }

    /// <summary>Every existing copy of libLibTorchSharp.so TorchSharp could load in this process, in its order.</summary>
    internal static IReadOnlyList<string> Copies()
    {
        var folders = new List<string>();
        var torchSharp = typeof(torch).Assembly;
        if (!string.IsNullOrEmpty(torchSharp.Location))
        {
            folders.Add(Path.GetDirectoryName(torchSharp.Location)!);
        }

        folders.Add(AppContext.BaseDirectory);
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories)
        {
            folders.AddRange(searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        }

        var copies = folders.Where(Directory.Exists).SelectMany(LibTorchSharpNative.CopiesInFolder).ToList();

        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(packages))
        {
            packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }

        var version = torchSharp.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? torchSharp.GetName().Version?.ToString(3);
        var package = version is null ? null : Path.Combine(packages, "torchsharp", version);
        if (package != null && Directory.Exists(package))
        {
            copies.AddRange(LibTorchSharpNative.CopiesInPackage(package));
        }

        return copies.Distinct(StringComparer.Ordinal).ToList();
    }

    private static string Diagnose(LibStdCxxInfo? system, IReadOnlyList<string> problems)
    {
        var copies = Copies();
        var copy = copies.Count > 0 ? copies[0] : null;
        IReadOnlyList<VersionNeed> needs = [];
        string? loaderError = null;
        if (copy != null)
        {
            try
            {
                needs = ElfVersionNeedPatcher.ReadVersionNeeds(copy);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                problems = [.. problems, e.Message];
            }

            try
            {
                NativeLibrary.Free(NativeLibrary.Load(copy));
            }
            catch (DllNotFoundException e)
            {
                loaderError = e.Message;
            }
        }

        return DescribeLoadFailure(copy, needs, system, problems, loaderError);
    }

    /// <summary>Builds the message for a failed load from what was found (pure, so it can be tested).</summary>
    /// <param name="copy">The copy of libLibTorchSharp.so examined, or null if none was found.</param>
    /// <param name="needs">Its version needs.</param>
    /// <param name="system">The system libstdc++, or null if unknown.</param>
    /// <param name="problems">Why copies could not be patched, if they could not.</param>
    /// <param name="loaderError">The dynamic loader's own error for <paramref name="copy"/>, if any.</param>
    internal static string DescribeLoadFailure(
        string? copy, IReadOnlyList<VersionNeed> needs, LibStdCxxInfo? system, IReadOnlyList<string> problems, string? loaderError)
    {
        var text = new List<string> { "TorchSharp's native backend could not be loaded." };
        var name = copy ?? LibTorchSharpNative.FileName;
        var missing = system is null
            ? []
            : needs.Where(n => n.Library == LibTorchSharpNative.LibStdCxx && !n.IsWeak && !system.Provides(n.Version))
                .Select(n => n.Version).ToList();
        var ensureLoaded = $"{nameof(TorchRuntime)}.{nameof(EnsureLoaded)}()";

        if (missing.Count > 0)
        {
            text.Add($"{name} requires {string.Join(", ", missing)} but {system!.Path} provides up to {system.HighestGlibcxx ?? "no GLIBCXX version"}.");
            if (missing.All(v => v == LibTorchSharpNative.AnchorVersion))
            {
                text.Add($"Nothing in it uses a symbol of {LibTorchSharpNative.AnchorVersion}, so {ensureLoaded} marks that requirement weak, but this copy could not be patched"
                    + (problems.Count > 0 ? $": {string.Join(" ", problems)}" : "."));
                text.Add("Remedy: make the file and its folder writable (or delete the copy so it is copied again from the patched NuGet cache) "
                    + $"and call {ensureLoaded} in a new process, or install libstdc++ from GCC 13 or newer.");
            }
            else
            {
                text.Add("Remedy: install libstdc++ from GCC 13 or newer (a newer distribution, or a newer libstdc++.so.6 found through LD_LIBRARY_PATH), "
                    + "or use a TorchSharp build made for this system.");
            }

            if (loaderError != null)
            {
                text.Add($"(The dynamic loader says: {loaderError})");
            }
        }
        else if (copy is null)
        {
            text.Add($"No copy of {LibTorchSharpNative.FileName} was found beside the TorchSharp assembly or in the NuGet cache.");
            text.Add("Remedy: reference the TorchSharp-cpu package (it brings the native libraries) and restore.");
        }
        else
        {
            text.Add(loaderError is null
                ? $"{copy} itself loads, and no libstdc++ version it needs is missing; see the inner exception for TorchSharp's reason."
                : $"Loading {copy} fails: {loaderError}");
            if (problems.Count > 0)
            {
                text.Add($"Copies that could not be patched: {string.Join(" ", problems)}");
            }
        }

        return string.Join(" ", text);
    }
}
