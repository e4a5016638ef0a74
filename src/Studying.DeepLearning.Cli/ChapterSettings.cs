using Spectre.Console;
using System.ComponentModel;
using Spectre.Console.Cli;

namespace Studying.DeepLearning.Cli;

/// <summary>Options every chapter command takes.</summary>
public class ChapterSettings : CommandSettings
{
    /// <summary>The folder the chapter's charts (HTML) and report (JSON) are written to.</summary>
    [CommandOption("-o|--out <DIR>")]
    [Description("Folder for the charts (self-contained HTML) and report.json. Default: out")]
    public string Output { get; init; } = "out";

    /// <summary>Print the results as one JSON object on stdout instead of the readable summary.</summary>
    [CommandOption("--json")]
    [Description("Print the results as one JSON object on stdout (progress goes to stderr).")]
    public bool Json { get; init; }

    /// <summary>Also render the README's figures as PNG into this folder (needs Chromium).</summary>
    [CommandOption("--images <DIR>")]
    [Description("Also write the README's figures as PNG into DIR (e.g. img); needs Chromium.")]
    public string? Images { get; init; }

    /// <summary>Checks --out and --images before any work (see <see cref="OptionChecks"/>).</summary>
    public override ValidationResult Validate() =>
        OptionChecks.First(() => OptionChecks.WritableFolder("--out", Output), () => OptionChecks.ImagesFolder(Images));
}
