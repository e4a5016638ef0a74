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
}
