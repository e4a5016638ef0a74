using Spectre.Console;
using System.ComponentModel;
using Spectre.Console.Cli;

namespace Studying.DeepLearning.Cli;

/// <summary>The output options every <c>studydl bench …</c> command takes.</summary>
internal abstract class BenchSettings : CommandSettings
{
    [CommandOption("--json")]
    [Description("Print the results as one JSON object on stdout (progress goes to stderr).")]
    public bool Json { get; init; }

    [CommandOption("-o|--out <DIR>")]
    [Description("Also write the chart (HTML) and report.json into DIR.")]
    public string? Output { get; init; }

    /// <summary>Checks --out, then the command's own options (<see cref="Checks"/>), before any work.</summary>
    public sealed override ValidationResult Validate() =>
        OptionChecks.First([() => OptionChecks.WritableFolder("--out", Output), .. Checks()]);

    /// <summary>The command's own checks, each null when fine or the error sentence.</summary>
    protected virtual IEnumerable<Func<string?>> Checks() => [];
}
