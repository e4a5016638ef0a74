using Spectre.Console;
using System.ComponentModel;
using Spectre.Console.Cli;

namespace Studying.DeepLearning.Cli;

/// <summary>Options every chapter command takes.</summary>
public class ChapterSettings : CommandSettings
{
    /// <summary>
    /// The output root: the chapter's charts (HTML), report (JSON) and summary go to a sub-folder; the shared
    /// plotly.min.js and the landing page index.html to the root.
    /// </summary>
    [CommandOption("-o|--out <DIR>")]
    [Description("Output root: <chapter>/ gets the charts (HTML), report.json and summary.json; the root gets index.html and the plotly.min.js every chart loads (offline). Default: out")]
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
