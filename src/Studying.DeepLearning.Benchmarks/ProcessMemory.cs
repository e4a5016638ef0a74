using System.Diagnostics;
using System.Globalization;

namespace Studying.DeepLearning.Benchmarks;

/// <summary>
/// This process's resident memory: VmRSS (now) and VmHWM (the peak since the process started) from
/// /proc/self/status on Linux, or the working set elsewhere. Native (libtorch) memory is included, which the .NET
/// GC's own counters do not see.
/// </summary>
internal static class ProcessMemory
{
    /// <summary>(current, peak) resident set size in bytes.</summary>
    public static (long Current, long Peak) Read()
    {
        if (OperatingSystem.IsLinux() && File.Exists("/proc/self/status"))
        {
            long current = -1, peak = -1;
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    current = Kilobytes(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    peak = Kilobytes(line);
            }
            if (current >= 0 && peak >= 0)
                return (current, peak);
        }
        using var self = Process.GetCurrentProcess();
        return (self.WorkingSet64, self.PeakWorkingSet64);
    }

    /// <summary>
    /// Fixes glibc's mmap threshold (<c>mallopt(M_MMAP_THRESHOLD, bytes)</c>): blocks at least this large are mapped
    /// on allocation and unmapped on free, so freed tensors go back to the system at once. By default glibc raises the
    /// threshold (up to 32 MiB) after the first large free, and later tensors come from a heap that keeps what they
    /// freed. Process-wide and permanent. Returns false where it does not apply (not Linux, or not glibc).
    /// </summary>
    /// <param name="bytes">The threshold, from 1 to 32 MiB (glibc's maximum).</param>
    public static bool SetMallocMmapThreshold(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, 32 * 1024 * 1024);
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            return Native.mallopt(MmapThreshold, bytes) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD in glibc's malloc.h

    private static class Native
    {
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mallopt")]
        [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
        internal static extern int mallopt(int param, int value);
    }

    private static long Kilobytes(string line)
    {
        // "VmRSS:\t  123456 kB"
        var number = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return long.Parse(number, CultureInfo.InvariantCulture) * 1024;
    }
}
