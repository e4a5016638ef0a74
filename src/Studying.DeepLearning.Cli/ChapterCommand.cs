using Spectre.Console.Cli;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Cli;

/// <summary>
/// A chapter's command: runs the chapter's library entry point, then writes its charts, report and summary the
/// same way for every chapter (<see cref="ChapterOutput"/>). Subclasses say only what is chapter-specific.
/// </summary>
internal abstract class ChapterCommand<TReport> : Command<ChapterSettings>
{
    /// <summary>The sub-command name, also the output sub-folder.</summary>
    protected abstract string Chapter { get; }

    /// <summary>The chapter's section on the index page (<c>out/index.html</c>).</summary>
    protected abstract ChapterOutput.ChapterPage Page { get; }

    /// <summary>The headline numbers the index page shows.</summary>
    protected abstract IReadOnlyList<HeadlineNumber> Headlines(TReport report);

    /// <summary>The figures that also go to --images as PNG (the README's pictures).</summary>
    protected virtual IReadOnlyCollection<string> ReadmeFigures => [];

    protected abstract TReport RunChapter(IProgress<string> progress, CancellationToken cancellationToken);

    protected abstract IReadOnlyDictionary<string, Figure> FiguresOf(TReport report);

    protected abstract void Print(TReport report);

    public override int Execute(CommandContext context, ChapterSettings settings, CancellationToken cancellationToken)
    {
        Run(settings, cancellationToken);
        return 0;
    }

    public void Run(ChapterSettings settings, CancellationToken cancellationToken)
    {
        var report = RunChapter(ChapterOutput.Progress(Chapter), cancellationToken);
        ChapterOutput.Write(Page, report, FiguresOf(report), ReadmeFigures, settings, Print, Headlines);
    }
}
