using System.Reflection;
using System.Text.RegularExpressions;
using Spectre.Console.Cli;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Cli;

/// <summary>
/// The CLI's one error policy: every exception becomes ONE line on stderr — what was wrong, where, what to do — and a
/// documented exit code. Usage errors (options and their values) are <see cref="Usage"/>, everything that goes wrong
/// while working (data, files, divergence) is <see cref="Runtime"/>, Ctrl+C is <see cref="Cancelled"/>. The stack
/// trace follows only with <c>--verbose</c>.
/// </summary>
internal static partial class ErrorPolicy
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>Something went wrong while working: bad or missing data, an unreadable or unwritable file, divergence.</summary>
    public const int Runtime = 1;

    /// <summary>The command line was wrong: an unknown command or option, a value out of range, an unusable folder.</summary>
    public const int Usage = 2;

    /// <summary>Cancelled with Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>The global option that adds the stack trace after the one line.</summary>
    public const string VerboseOption = "--verbose";

    /// <summary>The exit codes as the help text and README give them.</summary>
    public const string ExitCodes =
        "Exit codes: 0 success; 1 runtime error (bad or missing data file, unreadable/unwritable file, training diverged); "
        + "2 usage error (unknown command or option, value out of range, unusable --out/--data/--images); 130 cancelled (Ctrl+C). "
        + "Every error is one line on stderr; add --verbose (any command) for the stack trace.";

    private static int _reported;

    /// <summary>Whether <c>--verbose</c> was given.</summary>
    public static bool Verbose { get; set; }

    /// <summary>Removes <c>--verbose</c> from the arguments (it is global: valid before or after any command) and remembers it.</summary>
    /// <param name="args">The process arguments.</param>
    public static string[] TakeVerbose(string[] args)
    {
        Verbose = args.Contains(VerboseOption, StringComparer.Ordinal);
        _arguments = [.. args.Where(a => a != VerboseOption)];
        return _arguments;
    }

    private static string[] _arguments = [];

    /// <summary>Writes the one line (and the trace with --verbose) and returns the exit code.</summary>
    /// <param name="exception">What was thrown.</param>
    public static int Report(Exception exception)
    {
        var e = Unwrap(exception);
        var code = ExitCodeOf(e);
        // One line per process, even if a second thread fails while the first error is reported.
        if (Interlocked.Exchange(ref _reported, 1) == 0)
        {
            Console.Error.WriteLine($"studydl: {LineOf(e)}");
            if (Verbose)
                Console.Error.WriteLine(exception.ToString());
            Console.Error.Flush();
        }
        return code;
    }

    /// <summary>The exit code of an exception (see the constants).</summary>
    /// <param name="e">An unwrapped exception.</param>
    public static int ExitCodeOf(Exception e) => e switch
    {
        OperationCanceledException => Cancelled,
        UsageException or CommandAppException or ArgumentException => Usage,
        _ => Runtime,
    };

    /// <summary>The one line: the exception's own message, made one line, plus what to do where the type tells.</summary>
    /// <param name="e">An unwrapped exception.</param>
    public static string LineOf(Exception e)
    {
        var message = e.Message;
        if (e is ArgumentException { ParamName: { } name })
            message = message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal);
        message = Whitespace().Replace(message, " ").Trim();
        if (e is CommandAppException)
        {
            // Spectre's "Failed to convert 'X' to Int32" does not say which option: find it on the command line.
            if (ConversionFailure().Match(message) is { Success: true } m)
            {
                var i = Array.IndexOf(_arguments, m.Groups[1].Value);
                var option = i > 0 && _arguments[i - 1].StartsWith('-') ? _arguments[i - 1] : "an option";
                message = $"{option} '{m.Groups[1].Value}' is not a valid {(m.Groups[2].Value.StartsWith("Int", StringComparison.Ordinal) ? $"whole number (at most {int.MaxValue})" : "value")}";
            }
            message = message.TrimEnd('.') + ". See 'studydl --help' or 'studydl COMMAND --help'.";
        }
        // Messages that already say what to do keep their own advice.
        var advises = Advice().IsMatch(message);
        var hint = e switch
        {
            OperationCanceledException => "",
            TrainingDivergedException => "",
            _ when advises => "",
            InvalidDataException when message.Contains(".ckpt", StringComparison.Ordinal) => " That checkpoint cannot be used: drop --resume to start afresh, or give the --checkpoints folder of an intact run.",
            InvalidDataException => " Replace that file with a good copy (re-download it) or point --data at a folder that holds one.",
            UnauthorizedAccessException => " Choose a path you may write to (or fix its permissions).",
            EndOfStreamException => " The file is truncated; replace it with a complete copy.",
            IOException => "",
            OutOfMemoryException or InsufficientExecutionStackException => " (out of memory: a data file may declare more items than it holds, or try a smaller --batch-size)",
            UsageException or CommandAppException or ArgumentException or InvalidOperationException => "",
            _ => $" (an unexpected {e.GetType().Name}: please run again with --verbose and report it)",
        };
        return message + hint;
    }

    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException { InnerExceptions.Count: 1 } a:
                    e = a.InnerExceptions[0];
                    continue;
                case TargetInvocationException { InnerException: { } inner }:
                    e = inner;
                    continue;
                case TypeInitializationException { InnerException: { } inner }:
                    e = inner;
                    continue;
                default:
                    return e;
            }
        }
    }

    [GeneratedRegex(@"Failed to convert '(.*)' to (\w+)")]
    private static partial Regex ConversionFailure();

    [GeneratedRegex(@"\b(Use|Give|give|Choose|choose|Replace|Copy|Install|Put|Set|Try|try|drop)\b")]
    private static partial Regex Advice();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

/// <summary>A bad command line found by the CLI's own checks: exits with <see cref="ErrorPolicy.Usage"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);
