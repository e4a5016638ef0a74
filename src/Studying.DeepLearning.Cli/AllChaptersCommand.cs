using Spectre.Console.Cli;

namespace Studying.DeepLearning.Cli;

/// <summary><c>studydl all</c>: every chapter in order, each into its own folder under --out.</summary>
internal sealed class AllChaptersCommand : Command<ChapterSettings>
{
    public override int Execute(CommandContext context, ChapterSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Json)
            throw new InvalidOperationException("'all' writes each chapter's report.json under --out; use a chapter command for --json on stdout.");
        new GradientDescentCommand().Run(settings, cancellationToken);
        new TorchBasicsCommand().Run(settings, cancellationToken);
        new ClassificationCommand().Run(settings, cancellationToken);
        new ResNetCommand().Run(settings, cancellationToken);
        DegradationCommand.Run(DegradationSettings.From(settings), cancellationToken);
        return 0;
    }
}
