using Studying.DeepLearning.Infrastructure;
using TorchSharp;

namespace Studying.DeepLearning.Tests.Infrastructure;

/// <summary>Tests of loading TorchSharp and of the load-failure diagnosis.</summary>
[Trait("Tier", "unit")]
public sealed class TorchRuntimeTests
{
    private static readonly string[] Debian12Versions =
        [.. Enumerable.Range(0, 31).Select(n => n == 0 ? "GLIBCXX_3.4" : $"GLIBCXX_3.4.{n}"), "CXXABI_1.3", "CXXABI_1.3.13"];

    /// <summary>EnsureLoaded: then torch computes.</summary>
    [Fact]
    public void EnsureLoaded_ThenTorchComputes()
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.EnsureLoaded(); // idempotent

        using var ones = torch.ones(2, 2);
        using var sum = ones.sum();
        Assert.Equal(4f, sum.item<float>());
    }

    /// <summary>BuildStep: patched the copy in the output folder.</summary>
    [PatchedLibStdCxxFact]
    public void BuildStep_PatchedTheCopyInTheOutputFolder()
    {
        var copy = Path.Combine(AppContext.BaseDirectory, "runtimes", LibTorchSharpNative.Rid, "native", LibTorchSharpNative.FileName);
        Assert.True(File.Exists(copy), copy);
        var entry = ElfVersionNeedPatcher.Find(copy, LibTorchSharpNative.LibStdCxx, LibTorchSharpNative.AnchorVersion);
        Assert.NotNull(entry);
        Assert.True(entry.IsWeak, $"{copy}: the build step did not mark {LibTorchSharpNative.AnchorVersion} weak");
    }

    /// <summary>Copies: include the output and nu get cache copies.</summary>
    [LinuxFact]
    public void Copies_IncludeTheOutputAndNuGetCacheCopies()
    {
        var copies = TorchRuntime.Copies();

        Assert.Contains(Path.Combine(AppContext.BaseDirectory, "runtimes", LibTorchSharpNative.Rid, "native", LibTorchSharpNative.FileName), copies);
        var cache = Path.Combine(Path.GetDirectoryName(NativeTestFiles.Nupkg)!, "runtimes", LibTorchSharpNative.Rid, "native", LibTorchSharpNative.FileName);
        Assert.Contains(Path.GetFullPath(cache), copies);
    }

    /// <summary>DescribeLoadFailure: names the missing version and the system library.</summary>
    [Fact]
    public void DescribeLoadFailure_NamesTheMissingVersionAndTheSystemLibrary()
    {
        var copy = "/app/runtimes/linux-x64/native/libLibTorchSharp.so";
        VersionNeed[] needs =
        [
            new("libstdc++.so.6", "GLIBCXX_3.4.30", 0, 29, 0x3f9c4),
            new("libstdc++.so.6", "GLIBCXX_3.4.32", 0, 18, 0x3fa34),
            new("libc.so.6", "GLIBC_2.34", 0, 24, 0x3f974),
        ];
        var system = new LibStdCxxInfo("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", Debian12Versions);

        var message = TorchRuntime.DescribeLoadFailure(
            copy, needs, system, ["'/app/runtimes/linux-x64/native/libLibTorchSharp.so' is read-only."], "version `GLIBCXX_3.4.32' not found");

        Assert.Contains(
            "/app/runtimes/linux-x64/native/libLibTorchSharp.so requires GLIBCXX_3.4.32 but /usr/lib/x86_64-linux-gnu/libstdc++.so.6 provides up to GLIBCXX_3.4.30",
            message, StringComparison.Ordinal);
        Assert.Contains("is read-only", message, StringComparison.Ordinal);
        Assert.Contains("Remedy:", message, StringComparison.Ordinal);
        Assert.Contains("version `GLIBCXX_3.4.32' not found", message, StringComparison.Ordinal);
    }

    /// <summary>DescribeLoadFailure when other versions are missing: advises anewer lib std cxx.</summary>
    [Fact]
    public void DescribeLoadFailure_WhenOtherVersionsAreMissing_AdvisesANewerLibStdCxx()
    {
        VersionNeed[] needs =
        [
            new("libstdc++.so.6", "GLIBCXX_3.4.31", 0, 30, 0),
            new("libstdc++.so.6", "GLIBCXX_3.4.32", 0, 18, 0),
        ];
        var system = new LibStdCxxInfo("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", Debian12Versions);

        var message = TorchRuntime.DescribeLoadFailure("/x/libLibTorchSharp.so", needs, system, [], null);

        Assert.Contains("requires GLIBCXX_3.4.31, GLIBCXX_3.4.32 but /usr/lib/x86_64-linux-gnu/libstdc++.so.6 provides up to GLIBCXX_3.4.30", message, StringComparison.Ordinal);
        Assert.Contains("GCC 13 or newer", message, StringComparison.Ordinal);
        Assert.DoesNotContain("marks that requirement weak", message, StringComparison.Ordinal);
    }

    /// <summary>DescribeLoadFailure on patched file: does not blame lib std cxx.</summary>
    [Fact]
    public void DescribeLoadFailure_OnPatchedFile_DoesNotBlameLibStdCxx()
    {
        VersionNeed[] needs = [new("libstdc++.so.6", "GLIBCXX_3.4.32", ElfVersionNeedPatcher.WeakFlag, 18, 0)];
        var system = new LibStdCxxInfo("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", Debian12Versions);

        var message = TorchRuntime.DescribeLoadFailure("/x/libLibTorchSharp.so", needs, system, [], "libtorch_cpu.so: cannot open shared object file");

        Assert.DoesNotContain("requires", message, StringComparison.Ordinal);
        Assert.Contains("Loading /x/libLibTorchSharp.so fails: libtorch_cpu.so: cannot open shared object file", message, StringComparison.Ordinal);
    }

    /// <summary>DescribeLoadFailure for the pristine file on this system: names the real cause.</summary>
    [PatchedLibStdCxxFact]
    public void DescribeLoadFailure_ForThePristineFileOnThisSystem_NamesTheRealCause()
    {
        var system = LibStdCxxInfo.FindSystem();

        using var temp = new TempFolder();
        var pristine = NativeTestFiles.ExtractPristine(temp.Path);

        var message = TorchRuntime.DescribeLoadFailure(pristine, ElfVersionNeedPatcher.ReadVersionNeeds(pristine), system, [], null);

        Assert.Contains($"{pristine} requires GLIBCXX_3.4.32 but {system!.Path} provides up to {system.HighestGlibcxx}", message, StringComparison.Ordinal);
    }
}
