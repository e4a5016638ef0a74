using System.Diagnostics;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Tests.Plotting;

/// <summary>What headless Chromium made of a page: the DOM after its scripts ran, and its console messages.</summary>
/// <param name="Dom">The serialised DOM (<c>--dump-dom</c>).</param>
/// <param name="Log">Chromium's stderr (with <c>--enable-logging=stderr --v=0</c>, console messages appear as "…:CONSOLE(n)] …").</param>
internal sealed record HeadlessPage(string Dom, string Log)
{
    /// <summary>The page's console messages (errors and logs alike).</summary>
    public IReadOnlyList<string> ConsoleMessages =>
        [.. Log.Split('\n').Where(line => line.Contains(":CONSOLE", StringComparison.Ordinal))];

    /// <summary>
    /// Opens a local file in the Chromium the project uses (<see cref="Chromium.Find"/>, same flags), lets its scripts
    /// run for <paramref name="virtualTimeMilliseconds"/> of virtual time (timers fire without waiting), and returns
    /// the DOM and the log. Fails the test if Chromium hangs or dumps nothing.
    /// </summary>
    /// <param name="path">The HTML file.</param>
    /// <param name="profileParent">A temporary folder for a fresh Chromium profile.</param>
    /// <param name="virtualTimeMilliseconds">The virtual-time budget.</param>
    public static HeadlessPage Open(string path, string profileParent, int virtualTimeMilliseconds = 10_000)
    {
        var start = new ProcessStartInfo(Chromium.Find()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in Chromium.Arguments())
            start.ArgumentList.Add(argument);
        start.ArgumentList.Add($"--user-data-dir={Path.Combine(profileParent, "chromium-profile")}");
        start.ArgumentList.Add("--enable-logging=stderr");
        start.ArgumentList.Add("--v=0");
        start.ArgumentList.Add($"--virtual-time-budget={virtualTimeMilliseconds}");
        start.ArgumentList.Add("--dump-dom");
        start.ArgumentList.Add(new Uri(path).AbsoluteUri);

        using var chromium = Process.Start(start)!;
        var log = chromium.StandardError.ReadToEndAsync();
        var dom = chromium.StandardOutput.ReadToEndAsync();
        if (!chromium.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            chromium.Kill(entireProcessTree: true);
            Assert.Fail($"Chromium did not finish {path} within 3 minutes.");
        }

        Assert.True(dom.Result.Length > 0, $"Chromium dumped no DOM for {path} (exit {chromium.ExitCode}): {log.Result}");
        return new HeadlessPage(dom.Result, log.Result);
    }
}
