using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>
/// A fixed amount of real arithmetic, calibrated once so that one unit takes about a millisecond on one idle core.
/// The work is counted in operations, not in wall-clock time: two threads sharing one core each take twice as long,
/// exactly as real decoding or augmentation would.
/// </summary>
public static class CpuWork
{
    private static readonly Lazy<double> IterationsPerMillisecond = new(Calibrate, LazyThreadSafetyMode.ExecutionAndPublication);
    private static double sink;

    /// <summary>Does the arithmetic that takes <paramref name="milliseconds"/> on an idle core; returns its result.</summary>
    public static double Run(double milliseconds)
    {
        if (milliseconds <= 0)
            return 0;
        var result = Spin((long)(milliseconds * IterationsPerMillisecond.Value), 1.0);
        Volatile.Write(ref sink, result);
        return result;
    }

    /// <summary>Calibrates now (otherwise the first call does), so that no measurement includes the calibration.</summary>
    public static void EnsureCalibrated() => _ = IterationsPerMillisecond.Value;

    // Fully optimised from the first call, so calibration and later runs execute the same machine code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static double Spin(long iterations, double seed)
    {
        // A dependent chain of multiply-adds: neither vectorisable nor removable by the JIT, since the result is kept.
        var x = seed;
        for (long i = 0; i < iterations; i++)
            x = x * 0.999_999_9 + 1e-7;
        return x;
    }

    private static double Calibrate()
    {
        const long probe = 2_000_000;
        var best = double.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var watch = Stopwatch.StartNew();
            Volatile.Write(ref sink, Spin(probe, round));
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }
        // The fastest round is the one least disturbed by other processes: the cost on an idle core.
        return probe / Math.Max(best, 1e-3);
    }
}
