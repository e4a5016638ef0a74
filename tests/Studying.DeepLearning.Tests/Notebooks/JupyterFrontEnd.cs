using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Studying.DeepLearning.Notebooks;

namespace Studying.DeepLearning.Tests.Notebooks;

/// <summary>
/// Whether Debian's Jupyter packages are installed (jupyter-nbconvert, python3-nbclient, jupyter-client,
/// python3-ipykernel): checked once per test run, by looking for the commands and asking the Python that
/// <c>jupyter-nbconvert</c> runs on (its #! line; not necessarily the first python3 on PATH) to import them.
/// </summary>
internal static class JupyterAvailability
{
    /// <summary>The Debian packages the Jupyter tests need, as the README's test command installs them.</summary>
    public const string Packages = "jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel";

    private static readonly string[] s_commands = ["python3", "jupyter", "jupyter-nbconvert"];
    private const string Modules = "nbconvert, nbclient, jupyter_client";
    private static readonly Lazy<string?> s_missing = new(FindMissing);

    /// <summary>Null when everything is there, else one line saying what is missing and what to install.</summary>
    public static string? Missing => s_missing.Value;

    private static string? FindMissing()
    {
        var commands = s_commands.Where(c => FindOnPath(c) is null).ToArray();
        if (commands.Length > 0)
        {
            return Message($"no {string.Join(", ", commands)} on PATH");
        }

        var python = Interpreter(FindOnPath("jupyter-nbconvert")!) ?? "python3";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(python, ["-c", $"import {Modules}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                return Message($"{python} did not import {Modules} within 60 s");
            }

            return process.ExitCode == 0 ? null : Message($"{python} cannot import {Modules}: {LastLine(error.Result)}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return Message($"{python} did not start ({e.Message})");
        }
    }

    // "#!/usr/bin/python3" → "/usr/bin/python3"; "#!/usr/bin/env python3" → "python3"; null without a #! line.
    private static string? Interpreter(string script)
    {
        using var reader = new StreamReader(script);
        var line = reader.ReadLine();
        if (line is null || !line.StartsWith("#!", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = line[2..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 0 ? null : Path.GetFileName(parts[0]) == "env" && parts.Length > 1 ? parts[1] : parts[0];
    }

    private static string Message(string what) =>
        $"Jupyter is not installed ({what}): apt-get install -y {Packages} (README, 'Set up and run', command 2).";

    private static string LastLine(string text) =>
        text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n')[^1];

    private static string? FindOnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, command))
            .FirstOrDefault(File.Exists);
}

/// <summary>A fact reported as skipped, naming the apt packages to install, when Jupyter is not installed.</summary>
public sealed class JupyterFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> at discovery when Jupyter is missing.</summary>
    public JupyterFactAttribute()
    {
        if (JupyterAvailability.Missing is { } missing)
        {
            Skip = missing;
        }
    }
}

/// <summary>
/// A private Jupyter installation for the tests: the repository's kernelspec written by
/// scripts/install-jupyter-kernel.py (the README's command) into a temporary JUPYTER_PATH, with Jupyter's data,
/// config and runtime folders there too, so the user's ~/.local/share/jupyter is neither read nor written.
/// </summary>
public sealed class PrivateJupyter : IDisposable
{
    /// <summary>The kernelspec name the script writes by default, and the notebooks' metadata names.</summary>
    public const string KernelName = ".net-csharp";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _installOutput;

    /// <summary>Creates the (empty) private folders; nothing runs until <see cref="InstallKernelAsync"/>.</summary>
    public PrivateJupyter()
    {
        Root = Directory.CreateTempSubdirectory("studydl-jupyter-");
        RepositoryRoot = NotebookRunner.FindRepositoryRoot();
    }

    /// <summary>The temporary folder holding everything.</summary>
    public DirectoryInfo Root { get; }

    /// <summary>The repository (with .config/dotnet-tools.json and scripts/).</summary>
    public DirectoryInfo RepositoryRoot { get; }

    /// <summary>The folder given as JUPYTER_PATH (kernelspecs under kernels/).</summary>
    public string JupyterPath => Path.Combine(Root.FullName, "path");

    /// <summary>The kernel.json the script writes.</summary>
    public string KernelSpecFile => Path.Combine(JupyterPath, "kernels", KernelName, "kernel.json");

    /// <summary>
    /// Runs <c>python3 scripts/install-jupyter-kernel.py --jupyter-path …</c> once, after the tests' shared
    /// <see cref="KernelTool"/> has restored the pinned tool, and returns what it printed.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (the script is killed).</param>
    public async Task<string> InstallKernelAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_installOutput is null)
            {
                await KernelTool.EnsureRestoredAsync(RepositoryRoot, cancellationToken);
                var script = Path.Combine(RepositoryRoot.FullName, "scripts", "install-jupyter-kernel.py");
                var run = await RunAsync("python3", [script, "--jupyter-path", JupyterPath], RepositoryRoot.FullName, TimeSpan.FromMinutes(10), cancellationToken);
                Assert.True(run.ExitCode == 0, $"{script} failed ({run.ExitCode}):\n{run.StandardOutput}\n{run.StandardError}");
                _installOutput = run.StandardOutput;
            }

            return _installOutput;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs a Jupyter command with the private folders and the kernel environment of the other notebook tests
    /// (quick setting on, no MSBuild variables of the test run).
    /// </summary>
    /// <param name="arguments">Arguments after <c>jupyter</c>.</param>
    /// <param name="timeout">How long it may run before it is killed with its kernels.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public Task<ProcessRun> JupyterAsync(IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync("jupyter", arguments, RepositoryRoot.FullName, timeout, cancellationToken, environment =>
        {
            KernelProcess.ConfigureEnvironment(environment);
            environment["JUPYTER_PATH"] = JupyterPath;
            environment["JUPYTER_DATA_DIR"] = Path.Combine(Root.FullName, "data");
            environment["JUPYTER_CONFIG_DIR"] = Path.Combine(Root.FullName, "config");
            environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(Root.FullName, "runtime");
            environment.Remove("JUPYTER_PREFER_ENV_PATH");
        });

    /// <summary>Deletes the private folders.</summary>
    public void Dispose()
    {
        try
        {
            Root.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A kernel that is still shutting down may hold a runtime file; the folder is in the temp directory.
        }

        _gate.Dispose();
    }

    private static async Task<ProcessRun> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        Action<IDictionary<string, string?>>? configure = null)
    {
        var startInfo = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        configure?.Invoke(startInfo.Environment);

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        return new ProcessRun(
            $"{fileName} {string.Join(' ', arguments)}",
            timedOut ? null : process.ExitCode,
            await stdout,
            await stderr,
            stopwatch.Elapsed);
    }
}

/// <summary>A finished (or killed) process.</summary>
/// <param name="CommandLine">What ran.</param>
/// <param name="ExitCode">Its exit code; null when it was killed at its time limit.</param>
/// <param name="StandardOutput">Everything it wrote to stdout.</param>
/// <param name="StandardError">Everything it wrote to stderr.</param>
/// <param name="Duration">How long it ran.</param>
public sealed record ProcessRun(string CommandLine, int? ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    /// <summary>The command, its exit and the last lines of its stderr, for a failing assertion.</summary>
    public string Describe(int lines = 40)
    {
        var tail = StandardError.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').TakeLast(lines);
        return string.Create(CultureInfo.InvariantCulture,
            $"`{CommandLine}` {(ExitCode is { } code ? $"exited with {code}" : "was killed at its time limit")} after {Duration.TotalSeconds:F0} s; stderr (last {lines} lines):\n{string.Join('\n', tail)}");
    }
}

/// <summary>A notebook as Jupyter wrote it after running it: each code cell's tags, source and outputs.</summary>
public sealed class ExecutedNotebook
{
    private ExecutedNotebook(string path, IReadOnlyList<ExecutedCell> cells)
    {
        Path = path;
        Cells = cells;
    }

    /// <summary>The executed .ipynb file.</summary>
    public string Path { get; }

    /// <summary>The code cells, in order.</summary>
    public IReadOnlyList<ExecutedCell> Cells { get; }

    /// <summary>Reads an .ipynb (nbformat 4) file.</summary>
    /// <param name="path">The file.</param>
    public static ExecutedNotebook Read(string path)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(path))!;
        var cells = new List<ExecutedCell>();
        var number = 0;
        foreach (var cell in notebook["cells"]!.AsArray())
        {
            number++;
            if ((string?)cell!["cell_type"] != "code")
            {
                continue;
            }

            var tags = cell["metadata"]?["tags"]?.AsArray().Select(t => (string?)t ?? "").ToArray() ?? [];
            var outputs = cell["outputs"]!.AsArray().Select(o => new ExecutedOutput(
                (string?)o!["output_type"] ?? "",
                (string?)o["name"],
                JoinText(o["text"]),
                o["data"] is JsonObject data ? data.ToDictionary(p => p.Key, p => JoinText(p.Value)) : [],
                o["traceback"] is JsonArray traceback ? string.Join('\n', traceback.Select(t => (string?)t)) : (string?)o["evalue"])).ToArray();
            cells.Add(new ExecutedCell(number, JoinText(cell["source"]), tags, cell["execution_count"]?.GetValue<int>(), outputs));
        }

        return new ExecutedNotebook(path, cells);
    }

    /// <summary>The one code cell whose source contains <paramref name="text"/>.</summary>
    /// <param name="text">A piece of the cell's source.</param>
    public ExecutedCell CellWith(string text)
    {
        var matches = Cells.Where(c => c.Source.Contains(text, StringComparison.Ordinal)).ToArray();
        Assert.True(matches.Length == 1, $"{Path}: expected one code cell containing \"{text}\", found {matches.Length}.");
        return matches[0];
    }

    // nbformat stores multi-line strings either as one string or as a list of lines.
    private static string JoinText(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };
}

/// <summary>One executed code cell.</summary>
/// <param name="Number">Its position among all cells, from 1.</param>
/// <param name="Source">Its source.</param>
/// <param name="Tags">Its metadata.tags.</param>
/// <param name="ExecutionCount">Jupyter's execution count; null when it did not run.</param>
/// <param name="Outputs">Its outputs.</param>
public sealed record ExecutedCell(int Number, string Source, IReadOnlyList<string> Tags, int? ExecutionCount, IReadOnlyList<ExecutedOutput> Outputs)
{
    /// <summary>True when the cell is tagged <c>chart</c>.</summary>
    public bool RequiresChart => Tags.Contains(NotebookRunner.ChartTag, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when a text/html output holds a Plotly figure (the same check as the Polyglot runner's).</summary>
    public bool HasPlotlyChart => Outputs.Any(o => o.Data.TryGetValue("text/html", out var html) && PlotlyHtml.IsFigure(html));

    /// <summary>Everything the cell showed as text: streams, text/plain and text/html values, and errors.</summary>
    public string Text => string.Join('\n', Outputs.Select(o => o.AllText));

    /// <summary>The mime types of the cell's outputs, for failure messages.</summary>
    public string DescribeOutputs() =>
        Outputs.Count == 0 ? "no outputs" : string.Join(", ", Outputs.Select(o => $"{o.OutputType}[{string.Join(' ', o.Data.Keys)}]"));
}

/// <summary>One output of an executed cell (nbformat 4).</summary>
/// <param name="OutputType">stream, display_data, execute_result or error.</param>
/// <param name="StreamName">stdout or stderr for streams.</param>
/// <param name="StreamText">A stream's text.</param>
/// <param name="Data">Mime type → value for displays and results.</param>
/// <param name="Error">An error's traceback (or evalue).</param>
public sealed record ExecutedOutput(string OutputType, string? StreamName, string StreamText, IReadOnlyDictionary<string, string> Data, string? Error)
{
    /// <summary>All of the output's text (text/html values with their character references decoded: "&amp;#215;" is "×").</summary>
    public string AllText => string.Join('\n', new[] { StreamText, Error ?? "" }.Concat(Data
        .Where(d => d.Key.StartsWith("text/", StringComparison.Ordinal))
        .Select(d => d.Key == "text/html" ? System.Net.WebUtility.HtmlDecode(d.Value) : d.Value)));
}
