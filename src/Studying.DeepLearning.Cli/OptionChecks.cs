using Spectre.Console;
using System.Globalization;
using Spectre.Console.Cli;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Cli;

/// <summary>
/// Checks made when the command line is parsed, before any work, so that nothing is thrown away by a late failure:
/// numeric ranges (naming the option), output folders (not a file, writable: a probe file is created and deleted),
/// Chromium for --images, names against the library's lists. Each returns the first problem as one sentence.
/// </summary>
internal static class OptionChecks
{
    /// <summary>The first error among <paramref name="checks"/>, or success.</summary>
    /// <param name="checks">Lazily evaluated checks, each null when fine or the error sentence.</param>
    public static ValidationResult First(params IEnumerable<Func<string?>> checks)
    {
        foreach (var check in checks)
        {
            if (check() is { } error)
                return ValidationResult.Error(error);
        }
        return ValidationResult.Success();
    }

    /// <summary>A whole number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static string? Range(string option, long value, long min, long max) =>
        value < min || value > max
            ? string.Create(CultureInfo.InvariantCulture, $"{option} {value} is out of range; give a whole number from {min} to {max}.")
            : null;

    /// <summary>An optional whole number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static string? Range(string option, long? value, long min, long max) => value is { } v ? Range(option, v, min, max) : null;

    /// <summary>A finite number within [<paramref name="min"/>, <paramref name="max"/>] (NaN and infinities refused), optionally excluding <paramref name="min"/>.</summary>
    public static string? Range(string option, double value, double min, double max, bool minExclusive = false) =>
        double.IsFinite(value) && (minExclusive ? value > min : value >= min) && value <= max
            ? null
            : max == double.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"{option} {value.ToString("G", CultureInfo.InvariantCulture)} is out of range; give a finite number {(minExclusive ? "above" : "from")} {min:G}.")
            : string.Create(CultureInfo.InvariantCulture,
                $"{option} {value.ToString("G", CultureInfo.InvariantCulture)} is out of range; give a number {(minExclusive ? "above" : "from")} {min:G} {(minExclusive ? "and at most" : "to")} {max:G}.");

    /// <summary>A name from <paramref name="names"/>, compared case-insensitively (as the library's factories do).</summary>
    public static string? OneOf(string option, string value, IEnumerable<string> names)
    {
        var list = names.ToArray();
        return list.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase)
            ? null
            : $"{option}: unknown name '{value}'; choose one of: {string.Join(", ", list)}.";
    }

    /// <summary>
    /// A folder the command will write into: not empty, not a file (nor under one), and writable — a probe file is
    /// created and deleted in the folder or, if it does not exist yet, in its nearest existing parent (nothing is
    /// created that stays).
    /// </summary>
    public static string? WritableFolder(string option, string? path)
    {
        if (path is null)
            return null;
        if (string.IsNullOrWhiteSpace(path))
            return $"{option} is empty; give a folder to write to.";
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"{option} '{path}' is not a usable path ({e.Message}).";
        }
        if (File.Exists(full))
            return $"{option} {full} is a file, not a folder; give a folder (it is created if missing).";
        var existing = full;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
                return $"{option} {full} lies under {existing}, which is a file; give a folder path.";
            existing = Path.GetDirectoryName(existing) ?? "";
            if (existing.Length == 0)
                return $"{option} {full} has no existing parent folder.";
        }
        var probe = Path.Combine(existing, $".studydl-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{option} {full}: cannot write in {existing} ({e.Message}); choose a folder you may write to.";
        }
        finally
        {
            try
            {
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Already gone (DeleteOnClose) or never created.
            }
        }
    }

    /// <summary>--images: a writable folder and a local Chromium to render the PNGs.</summary>
    public static string? ImagesFolder(string? path)
    {
        if (path is null)
            return null;
        if (WritableFolder("--images", path) is { } error)
            return error;
        try
        {
            PngSupport.RequireBrowser();
            return null;
        }
        catch (InvalidOperationException e)
        {
            return $"--images: {e.Message}";
        }
    }
}
