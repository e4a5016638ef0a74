using System.Diagnostics;
using System.Globalization;

namespace Studying.DeepLearning.TorchBasics;

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

    private static long Kilobytes(string line)
    {
        // "VmRSS:\t  123456 kB"
        var number = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return long.Parse(number, CultureInfo.InvariantCulture) * 1024;
    }
}
