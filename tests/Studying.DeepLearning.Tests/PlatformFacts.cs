using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Tests;

// xunit 2 has no dynamic skip: these facts decide when the test is discovered, so a test that cannot run here is
// reported as SKIPPED with the reason, never as passed (an early `return;` in the test body would count as a pass).

/// <summary>A fact that runs on Linux only (ELF files, /proc, glibc).</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    /// <summary>Skips the test elsewhere.</summary>
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
            Skip = "Linux only (ELF files, /proc, glibc).";
    }
}

/// <summary>
/// A fact about the libstdc++ compatibility patch: it runs only where the system's libstdc++ lacks
/// GLIBCXX_3.4.32 (Debian 12 and similar), the systems the patch exists for.
/// </summary>
public sealed class PatchedLibStdCxxFactAttribute : FactAttribute
{
    /// <summary>Skips the test where the patch does not apply (Windows, macOS, or a libstdc++ new enough).</summary>
    public PatchedLibStdCxxFactAttribute()
    {
        if (!LibTorchSharpNative.SystemNeedsPatch(LibStdCxxInfo.FindSystem()))
            Skip = "This system's libstdc++ already has GLIBCXX_3.4.32 (or it is not Linux): the native patch does not apply.";
    }
}

/// <summary>A Linux fact that also needs binutils' readelf as an independent reading of ELF files.</summary>
public sealed class ReadElfFactAttribute : FactAttribute
{
    /// <summary>Skips the test without Linux or readelf.</summary>
    public ReadElfFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
            Skip = "Linux only (ELF files).";
        else if (!ReadElfInstalled())
            Skip = "readelf is not installed (Debian: apt-get install binutils).";
    }

    private static bool ReadElfInstalled()
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("readelf", "--version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

/// <summary>A theory that runs on Linux only.</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips the test elsewhere.</summary>
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux())
            Skip = "Linux only (ELF files, /proc, glibc).";
    }
}

/// <summary>
/// A fact that sends SIGINT (Ctrl+C) to a child process: it runs only on Linux and when this process does not ignore
/// SIGINT. A non-interactive shell starts background jobs (<c>cmd &amp;</c>) with SIGINT ignored, and children inherit
/// that, so from such a run Ctrl+C cannot be delivered at all and the test could only time out.
/// </summary>
public sealed class SigIntFactAttribute : FactAttribute
{
    /// <summary>Skips the test where SIGINT cannot reach a child process.</summary>
    public SigIntFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
            Skip = "Linux only (signals, /proc).";
        else if (SigIntIgnored())
            Skip = "SIGINT is ignored in this test process (started as a background job of a non-interactive shell), so Ctrl+C cannot reach the child; run the tests in the foreground.";
    }

    private static bool SigIntIgnored()
    {
        // /proc/self/status: "SigIgn:\t0000000000000002" — a hexadecimal mask, bit (signal − 1); SIGINT is 2.
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null
            && ulong.TryParse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var mask)
            && (mask & (1UL << 1)) != 0;
    }
}
