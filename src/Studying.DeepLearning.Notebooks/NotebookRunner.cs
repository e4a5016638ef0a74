using System.Diagnostics;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;


namespace Studying.DeepLearning.Notebooks;

/// <summary>Settings of a <see cref="NotebookRunner"/>.</summary>
public sealed record NotebookRunnerOptions
{
    /// <summary>How long one cell may run before the kernel is killed and the cell reported as timed out.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the kernel process may take to report KernelReady.</summary>
    public TimeSpan KernelStartTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>The kernel for code cells without kernel metadata, and the kernel's --default-kernel.</summary>
    public string DefaultKernelName { get; init; } = "csharp";

    /// <summary>The folder with .config/dotnet-tools.json; null finds it above the running assembly.</summary>
    public DirectoryInfo? RepositoryRoot { get; init; }

    /// <summary>Where to write each executed notebook with its outputs (same file name); null writes nothing.</summary>
    public DirectoryInfo? OutputDirectory { get; init; }

    /// <summary>
    /// Extra environment variables for the kernel process, e.g. <c>STUDYDL_NOTEBOOK_FULL=1</c> for the notebooks'
    /// full-size experiments (Notebook.FullRun). The default is none: the notebooks' short setting, as in VS Code.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = DefaultEnvironment;

    /// <summary>The default <see cref="Environment"/>: no extra variables (the notebooks' short, default setting).</summary>
    public static IReadOnlyDictionary<string, string> DefaultEnvironment { get; } =
        new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Stop at the first failed cell, as Jupyter's "Run All" does (later cells are reported as not run).</summary>
    public bool StopAtFirstFailure { get; init; } = true;
}

/// <summary>
/// Runs a Polyglot (.NET Interactive) notebook cell by cell in a fresh <c>dotnet-interactive stdio</c> kernel
/// process (the repository's pinned tool), one kernel session per notebook, and reports every cell.
/// </summary>
/// <param name="options">Settings; null uses the defaults.</param>
public sealed class NotebookRunner(NotebookRunnerOptions? options = null)
{
    /// <summary>The Jupyter cell tag (metadata.tags) of cells that must display a Plotly figure.</summary>
    public const string ChartTag = "chart";

    /// <summary>The settings in use.</summary>
    public NotebookRunnerOptions Options { get; } = options ?? new NotebookRunnerOptions();

    /// <summary>The folder holding .config/dotnet-tools.json, found by walking up from <paramref name="start"/>.</summary>
    /// <param name="start">Where to start; null starts at the running assembly's folder.</param>
    public static DirectoryInfo FindRepositoryRoot(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ".config", "dotnet-tools.json")))
            {
                return dir;
            }
        }

        throw new DirectoryNotFoundException($"No folder above {start ?? AppContext.BaseDirectory} has .config/dotnet-tools.json.");
    }

    /// <summary>Parses a notebook's cells with Microsoft.DotNet.Interactive.Documents.</summary>
    /// <param name="notebookPath">An .ipynb file.</param>
    /// <param name="defaultKernelName">The kernel of code cells that name none.</param>
    public static InteractiveDocument ReadNotebook(string notebookPath, string defaultKernelName = "csharp")
    {
        var kernels = new KernelInfoCollection
        {
            new KernelInfo("csharp", "C#", ["c#", "C#", "cs"]),
            new KernelInfo("fsharp", "F#", ["f#", "F#", "fs"]),
            new KernelInfo("pwsh", "PowerShell", ["powershell"]),
            new KernelInfo("javascript", "JavaScript", ["js"]),
            new KernelInfo("html", "HTML", []),
            new KernelInfo("mermaid", "Mermaid", []),
            new KernelInfo("http", "HTTP", []),
            new KernelInfo("value", "Value", []),
        };
        kernels.DefaultKernelName = defaultKernelName;
        return Microsoft.DotNet.Interactive.Documents.Jupyter.Notebook.Parse(File.ReadAllText(notebookPath), kernels);
    }

    /// <summary>The Jupyter tags (metadata.tags) of a parsed cell.</summary>
    /// <param name="element">A cell from <see cref="ReadNotebook"/>.</param>
    public static IReadOnlyList<string> GetTags(InteractiveDocumentElement element) =>
        element.Metadata?.TryGetValue("tags", out var tags) == true && tags is System.Collections.IEnumerable list and not string
            ? [.. list.OfType<object>().Select(t => t.ToString() ?? "")]
            : [];

    /// <summary>Runs every code cell of the notebook, in order, in one new kernel process, then kills the process.</summary>
    /// <param name="notebookPath">The .ipynb file; its folder is the kernel's working directory.</param>
    /// <param name="cancellationToken">Cancels the whole run (the kernel process is killed).</param>
    public async Task<NotebookRunResult> RunAsync(string notebookPath, CancellationToken cancellationToken = default)
    {
        var notebook = new FileInfo(notebookPath);
        var document = ReadNotebook(notebook.FullName, Options.DefaultKernelName);
        var root = Options.RepositoryRoot ?? FindRepositoryRoot();
        await KernelTool.EnsureRestoredAsync(root, cancellationToken).ConfigureAwait(false);

        var total = Stopwatch.StartNew();
        using var kernel = await KernelProcess.StartAsync(
            root, notebook.Directory!, Options.DefaultKernelName, Options.KernelStartTimeout, Options.Environment, cancellationToken).ConfigureAwait(false);
        var startDuration = total.Elapsed;

        var cells = new List<CellResult>();
        var stopped = false;
        var executionCount = 0;
        for (var i = 0; i < document.Elements.Count; i++)
        {
            var element = document.Elements[i];
            var cell = new CellResult
            {
                Number = i + 1,
                KernelName = element.KernelName ?? Options.DefaultKernelName,
                Source = element.Contents ?? "",
                Tags = GetTags(element),
            };

            if (!cell.IsCode || string.IsNullOrWhiteSpace(cell.Source))
            {
                cells.Add(cell);
                continue;
            }

            if (stopped)
            {
                cells.Add(cell with { Status = CellStatus.NotRun });
                continue;
            }

            var execution = await kernel.SubmitAsync(cell.Source, cell.KernelName, Options.CellTimeout, cancellationToken).ConfigureAwait(false);
            cell = cell with
            {
                Status = execution.Status,
                ErrorMessage = execution.ErrorMessage,
                Outputs = execution.Outputs,
                Duration = execution.Duration,
            };
            cells.Add(cell);
            SetOutputs(element, cell, ++executionCount);

            // After a timeout or crash the session is gone; after a failure later cells would fail in cascade.
            stopped = execution.Status is CellStatus.TimedOut or CellStatus.KernelExited ||
                      (execution.Status == CellStatus.Failed && Options.StopAtFirstFailure);
        }

        var result = new NotebookRunResult
        {
            NotebookPath = notebook.FullName,
            Cells = cells,
            KernelProcessId = kernel.ProcessId,
            KernelStartDuration = startDuration,
            TotalDuration = total.Elapsed,
            KernelStandardError = kernel.StandardError,
        };

        return Options.OutputDirectory is { } output
            ? result with { ExecutedNotebookPath = WriteExecuted(document, notebook, output) }
            : result;
    }

    private static void SetOutputs(InteractiveDocumentElement element, CellResult cell, int executionCount)
    {
        element.ExecutionOrder = executionCount;
        element.Outputs.Clear();
        foreach (var output in cell.Outputs)
        {
            var text = output.Values.Count > 0 ? output.Values[0].Value : "";
            switch (output.Kind)
            {
                case CellOutputKind.StandardOutput:
                    element.Outputs.Add(new TextElement(text, "stdout"));
                    break;
                case CellOutputKind.StandardError:
                    element.Outputs.Add(new TextElement(text, "stderr"));
                    break;
                case CellOutputKind.Error:
                    element.Outputs.Add(new ErrorElement(text));
                    break;
                case CellOutputKind.ReturnValue:
                    var returned = new ReturnValueElement { ExecutionOrder = executionCount };
                    foreach (var value in output.Values)
                    {
                        returned.Data[value.MimeType] = value.Value;
                    }

                    element.Outputs.Add(returned);
                    break;
                default:
                    element.Outputs.Add(new DisplayElement(output.Values.DistinctBy(v => v.MimeType).ToDictionary(v => v.MimeType, object (v) => v.Value)));
                    break;
            }
        }
    }

    private static string WriteExecuted(InteractiveDocument document, FileInfo notebook, DirectoryInfo output)
    {
        var path = Path.Combine(output.FullName, notebook.Name);
        if (string.Equals(Path.GetFullPath(path), notebook.FullName, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Refusing to overwrite the notebook itself ({notebook.FullName}) with its outputs.");
        }

        output.Create();
        File.WriteAllText(path, document.ToJupyterJson());
        return path;
    }
}
