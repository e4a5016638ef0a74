using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Studying.DeepLearning.Notebooks;

namespace Studying.DeepLearning.Cli;

/// <summary>Options of <c>studydl notebooks execute</c>.</summary>
public sealed class NotebooksExecuteSettings : CommandSettings
{
    /// <summary>Notebook names (with or without .ipynb) under notebooks/; none runs them all.</summary>
    [CommandOption("-n|--notebook <NAME>")]
    [Description("A notebook under notebooks/, e.g. 1-1.Gradient_descent_MSE (repeatable). Default: every notebook.")]
    public string[] Notebooks { get; init; } = [];

    /// <summary>Run long experiments at their full size (STUDYDL_NOTEBOOK_FULL=1) instead of the notebooks' short default.</summary>
    [CommandOption("--full")]
    [Description("Run long experiments at their full size (STUDYDL_NOTEBOOK_FULL=1) instead of the notebooks' short default.")]
    public bool Full { get; init; }

    /// <summary>Minutes one cell may run.</summary>
    [CommandOption("--cell-timeout <MINUTES>")]
    [Description("Minutes one cell may run before the kernel is killed. Default: 30")]
    public double CellTimeoutMinutes { get; init; } = 30;

    /// <inheritdoc />
    public override ValidationResult Validate() =>
        CellTimeoutMinutes > 0 ? ValidationResult.Success() : ValidationResult.Error($"--cell-timeout must be positive minutes, got {CellTimeoutMinutes}.");
}

/// <summary>
/// <c>studydl notebooks execute</c>: runs notebooks through the pinned kernel and writes their outputs (charts as
/// interactive HTML and as PNG) back into the .ipynb files; a notebook that fails is reported and left unchanged.
/// </summary>
internal sealed class NotebooksExecuteCommand : AsyncCommand<NotebooksExecuteSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, NotebooksExecuteSettings settings, CancellationToken cancellationToken)
    {
        var root = NotebookRunner.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var folder = Path.Combine(root.FullName, "notebooks");
        var paths = settings.Notebooks.Length == 0
            ? Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToArray()
            : settings.Notebooks.Select(n => Resolve(folder, n)).ToArray();

        var options = new NotebookRunnerOptions
        {
            RepositoryRoot = root,
            CellTimeout = TimeSpan.FromMinutes(settings.CellTimeoutMinutes),
            Environment = settings.Full
                ? new Dictionary<string, string>(StringComparer.Ordinal) { [NotebookEnvironment.FullRunVariable] = "1" }
                : new Dictionary<string, string>(StringComparer.Ordinal),
        };

        var failed = 0;
        foreach (var path in paths)
        {
            await Console.Error.WriteLineAsync($"Running {Path.GetFileName(path)}...").ConfigureAwait(false);
            var execution = await NotebookExecutor.ExecuteAsync(path, options, cancellationToken).ConfigureAwait(false);
            if (!execution.Written)
            {
                failed++;
            }

            await (execution.Written ? Console.Out : Console.Error).WriteLineAsync(execution.Message).ConfigureAwait(false);
        }

        if (failed > 0)
        {
            await Console.Error.WriteLineAsync($"studydl: {failed} of {paths.Length} notebook(s) failed and were left unchanged.").ConfigureAwait(false);
            return 1;
        }

        return 0;
    }

    private static string Resolve(string folder, string name)
    {
        var file = name.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) ? name : name + ".ipynb";
        var path = Path.Combine(folder, Path.GetFileName(file));
        return File.Exists(path)
            ? path
            : throw new ArgumentException($"--notebook {name}: no {Path.GetFileName(file)} in {folder}; names are like 1-1.Gradient_descent_MSE.");
    }
}
