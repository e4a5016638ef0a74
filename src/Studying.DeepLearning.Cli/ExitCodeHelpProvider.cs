using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace Studying.DeepLearning.Cli;

/// <summary>Spectre's help, with the exit codes and --verbose below the top-level help (<c>studydl --help</c>).</summary>
internal sealed class ExitCodeHelpProvider(ICommandAppSettings settings) : HelpProvider(settings)
{
    public override IEnumerable<IRenderable> GetFooter(ICommandModel model, ICommandInfo? command) =>
    [
        .. base.GetFooter(model, command),
        new Text(Environment.NewLine),
        new Markup($"[yellow]ERRORS:[/]{Environment.NewLine}    {Markup.Escape(ErrorPolicy.ExitCodes)}{Environment.NewLine}"),
    ];
}
