namespace Studying.DeepLearning.Plotting;

/// <summary>Finds the local Chromium that renders PNG images; a browser is never downloaded.</summary>
internal static class Chromium
{
    /// <summary>The environment variable that names the browser executable explicitly.</summary>
    public const string PathVariable = "STUDYDL_CHROMIUM";

    /// <summary>Where a browser is looked for when <see cref="PathVariable"/> is not set.</summary>
    public static readonly IReadOnlyList<string> KnownPaths = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    /// <summary>Returns the browser executable to launch.</summary>
    /// <exception cref="InvalidOperationException">No browser was found.</exception>
    public static string Find()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{PathVariable} is set to '{configured}', but no such file exists.");
        }

        return KnownPaths.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"Saving a chart as PNG needs a local Chromium, and none was found (tried {PathVariable}, then "
                + string.Join(", ", KnownPaths)
                + "). Install one (Debian/Ubuntu: 'sudo apt-get install chromium') or set "
                + $"{PathVariable} to a Chromium or Chrome executable.");
    }

    /// <summary>The switches for a headless run that never touches the network.</summary>
    public static string[] Arguments()
    {
        List<string> arguments =
        [
            "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
        ];

        // Chromium refuses to start as root with its sandbox on (containers, CI).
        if (Environment.IsPrivilegedProcess)
        {
            arguments.Add("--no-sandbox");
        }

        return [.. arguments];
    }
}
