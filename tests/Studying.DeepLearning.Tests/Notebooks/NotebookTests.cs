using System.Globalization;
using Studying.DeepLearning.Notebooks;
using Xunit.Abstractions;

namespace Studying.DeepLearning.Tests.Notebooks;

/// <summary>
/// Every notebook in notebooks/ runs, cell by cell, in the real dotnet-interactive kernel (the pinned tool that
/// VS Code's Polyglot Notebooks runs), with no failed cell and a Plotly figure from every cell tagged "chart".
/// Executed copies with outputs go to artifacts/notebooks/ for inspection.
/// </summary>
/// <remarks>
/// Environment: NOTEBOOK_CELL_TIMEOUT_MINUTES (default 10) limits one cell; NOTEBOOK_TIMEOUT_MINUTES
/// (default 60) limits a whole notebook.
/// </remarks>
[Collection(NotebookKernels.Name)]
[Trait("Tier", "notebook")]
public sealed class NotebookTests(ITestOutputHelper output)
{
    /// <summary>The case used when notebooks/ has no notebook (see <see cref="NotebooksFolder_ContainsAtLeastOneNotebook"/>).</summary>
    public const string NoNotebooks = "(no notebooks in notebooks/)";

    private static readonly DirectoryInfo s_root = NotebookRunner.FindRepositoryRoot();

    /// <summary>Every *.ipynb under notebooks/, as a path relative to the repository root (one test case each).</summary>
    public static TheoryData<string> Notebooks()
    {
        var notebooks = FindNotebooks();
        return notebooks.Count == 0 ? new TheoryData<string>(NoNotebooks) : new TheoryData<string>(notebooks);
    }

    /// <summary>Runs one notebook in a fresh kernel process and fails with every problem cell.</summary>
    /// <param name="notebook">Path relative to the repository root.</param>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_RunsWithoutErrors(string notebook)
    {
        if (notebook == NoNotebooks)
        {
            return; // NotebooksFolder_ContainsAtLeastOneNotebook reports this.
        }

        var runner = new NotebookRunner(new NotebookRunnerOptions
        {
            RepositoryRoot = s_root,
            CellTimeout = Minutes("NOTEBOOK_CELL_TIMEOUT_MINUTES", 10),
            OutputDirectory = new DirectoryInfo(Path.Combine(s_root.FullName, "artifacts", "notebooks")),
        });
        using var cancellation = new CancellationTokenSource(Minutes("NOTEBOOK_TIMEOUT_MINUTES", 60));

        var result = await runner.RunAsync(Path.Combine(s_root.FullName, notebook), cancellation.Token);

        output.WriteLine(result.Timings());
        output.WriteLine($"Executed copy: {result.ExecutedNotebookPath}");
        Assert.True(result.Succeeded, result.Describe());
    }

    /// <summary>
    /// REQUIRES NOTEBOOKS: fails while notebooks/ has no *.ipynb (expected on the runner's own branch; the
    /// notebooks arrive from other branches), so that an empty folder cannot make the notebook theory pass vacuously.
    /// </summary>
    [Fact]
    public void NotebooksFolder_ContainsAtLeastOneNotebook() =>
        Assert.True(FindNotebooks().Count > 0, $"No *.ipynb under {Path.Combine(s_root.FullName, "notebooks")}: nothing for Notebook_RunsWithoutErrors to run.");

    private static List<string> FindNotebooks()
    {
        var folder = Path.Combine(s_root.FullName, "notebooks");
        return !Directory.Exists(folder)
            ? []
            : [.. Directory.EnumerateFiles(folder, "*.ipynb", SearchOption.AllDirectories)
                .Where(p => !p.Contains(".ipynb_checkpoints", StringComparison.Ordinal))
                .Select(p => Path.GetRelativePath(s_root.FullName, p).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)];
    }

    private static TimeSpan Minutes(string variable, double fallback) =>
        TimeSpan.FromMinutes(double.TryParse(Environment.GetEnvironmentVariable(variable), CultureInfo.InvariantCulture, out var minutes) ? minutes : fallback);
}
