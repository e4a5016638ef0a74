using System.ComponentModel;
using Spectre.Console.Cli;
using Studying.DeepLearning.Notebooks;

namespace Studying.DeepLearning.Cli;

/// <summary>Options of <c>studydl book</c>.</summary>
public sealed class BookSettings : CommandSettings
{
    /// <summary>The folder the site is written to.</summary>
    [CommandOption("-o|--out <DIR>")]
    [Description("Folder for the static site (index.html, one page per notebook, assets/). Default: site")]
    public string Output { get; init; } = "site";
}

/// <summary><c>studydl book</c>: renders README.md and every executed notebook as a static course site.</summary>
internal sealed class BookCommand : Command<BookSettings>
{
    public override int Execute(CommandContext context, BookSettings settings, CancellationToken cancellationToken)
    {
        var root = NotebookRunner.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var site = new BookBuilder(root.FullName, Path.GetFullPath(settings.Output), Console.Error.WriteLine).Build();
        Console.WriteLine($"{site.Pages.Count} pages written to {site.Output}; open {Path.Combine(site.Output, "index.html")}");
        return 0;
    }
}
