using System.Text.RegularExpressions;

namespace Studying.DeepLearning.Tests.Cli;

/// <summary>What every failure of <c>studydl</c> must look like: the documented exit code, ONE error line, no stack trace.</summary>
internal static partial class CliAssert
{
    public const int Runtime = 1, Usage = 2, Cancelled = 130;

    /// <summary>Asserts the exit code and that stderr holds exactly one "studydl:" line, last, containing every word; returns it.</summary>
    public static string OneErrorLine((int ExitCode, string StandardOutput, string StandardError) result, int exitCode, params string[] words)
    {
        var (code, _, stderr) = result;
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.False(StackFrame().IsMatch(stderr), $"stack frames on stderr:\n{stderr}");
        Assert.True(code == exitCode, $"exit code {code}, expected {exitCode}; stderr:\n{stderr}");
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.StartsWith("studydl:", StringComparison.Ordinal)).ToArray();
        var line = Assert.Single(errors);
        Assert.Equal(line, lines[^1]);
        foreach (var word in words)
            Assert.True(line.Contains(word, StringComparison.OrdinalIgnoreCase), $"'{word}' is not in the error line: {line}");
        return line;
    }

    [GeneratedRegex(@"^\s+at \S", RegexOptions.Multiline)]
    public static partial Regex StackFrame();
}

/// <summary>A fact that cannot run as root (root ignores file permissions): reported as skipped there, with the reason.</summary>
public sealed class FactUnlessRootAttribute : FactAttribute
{
    public FactUnlessRootAttribute()
    {
        if (Environment.UserName == "root")
            Skip = "Runs as root, which ignores file permissions: an unwritable folder cannot be made (the file-as-folder cases cover --out instead).";
    }
}
