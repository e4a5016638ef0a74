using System.Diagnostics;
using System.Globalization;
using System.Reactive.Subjects;
using System.Text;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Connection;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;


namespace Studying.DeepLearning.Notebooks;

/// <summary>
/// A real <c>dotnet-interactive stdio</c> kernel process (the repository's pinned tool, the one VS Code's
/// Polyglot Notebooks runs), spoken to with Microsoft.DotNet.Interactive's own protocol classes.
/// </summary>
/// <remarks>
/// This does what <see cref="StdIoKernelConnector"/> does (same process settings, same
/// <see cref="KernelCommandAndEventSender"/> / <see cref="KernelCommandAndEventReceiver"/> over stdin/stdout),
/// but owns the <see cref="Process"/>, because the connector keeps the kernel's stderr in a private local
/// (only shown if startup fails) and gives no notice when the process dies mid-cell, which would turn a
/// kernel crash into a 10-minute timeout with no diagnostics. Commands are sent the way VS Code sends them:
/// the whole cell text in one SubmitCode with the cell's kernel as target, no local ProxyKernel splitting it.
/// </remarks>
internal sealed class KernelProcess : IDisposable
{
    private static int s_hostCounter;

    private readonly Process _process;
    private readonly Subject<string> _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly KernelCommandAndEventReceiver _receiver;
    private readonly KernelCommandAndEventSender _sender;
    private readonly IDisposable _subscription;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private Submission? _current;
    private bool _disposed;

    private KernelProcess(Process process, Uri hostUri)
    {
        _process = process;
        _receiver = KernelCommandAndEventReceiver.FromObservable(_stdout);
        _subscription = _receiver.Subscribe(new ActionObserver(OnCommandOrEvent));
        _process.OutputDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                _stdout.OnNext(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_gate)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.Exited += (_, _) => _exited.TrySetResult();
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var writer = new StreamWriter(_process.StandardInput.BaseStream, new UTF8Encoding(false));
        _sender = KernelCommandAndEventSender.FromTextWriter(writer, hostUri);
    }

    /// <summary>The kernel process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Everything the kernel process wrote to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Completes when the kernel process exits.</summary>
    public Task Exited => _exited.Task;

    /// <summary>
    /// Starts <c>dotnet tool run dotnet-interactive -- stdio</c> and waits for the kernel's KernelReady event.
    /// </summary>
    /// <param name="repositoryRoot">Folder with .config/dotnet-tools.json (the pinned tool).</param>
    /// <param name="workingDirectory">The kernel's current directory (the notebook's folder, as in VS Code).</param>
    /// <param name="defaultKernelName">The kernel for cells with no kernel metadata.</param>
    /// <param name="startTimeout">How long to wait for KernelReady.</param>
    /// <param name="environment">Extra environment variables for the kernel process.</param>
    /// <param name="cancellationToken">Cancels the start (the process is killed).</param>
    public static async Task<KernelProcess> StartAsync(
        DirectoryInfo repositoryRoot,
        DirectoryInfo workingDirectory,
        string defaultKernelName,
        TimeSpan startTimeout,
        IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellationToken)
    {
        var hostUri = KernelHost.CreateHostUri(string.Create(
            CultureInfo.InvariantCulture,
            $"notebook-runner-{Environment.ProcessId}-{Interlocked.Increment(ref s_hostCounter)}"));

        var startInfo = new ProcessStartInfo("dotnet")
        {
            // `dotnet tool run` finds the manifest by walking up from the process's working directory: start in
            // the notebook's folder when it is inside the repository (as VS Code does), else at the repository root.
            WorkingDirectory = IsUnder(workingDirectory, repositoryRoot) ? workingDirectory.FullName : repositoryRoot.FullName,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in new[]
                 {
                     "tool", "run", "dotnet-interactive", "--", "stdio",
                     "--default-kernel", defaultKernelName,
                     "--working-dir", workingDirectory.FullName,
                     "--kernel-host", hostUri.Authority,
                 })
        {
            startInfo.ArgumentList.Add(argument);
        }

        ConfigureEnvironment(startInfo.Environment, environment);

        var kernel = new KernelProcess(new Process { StartInfo = startInfo, EnableRaisingEvents = true }, hostUri);
        try
        {
            var timeout = Task.Delay(startTimeout, cancellationToken);
            var first = await Task.WhenAny(kernel._ready.Task, kernel.Exited, timeout).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (first == kernel.Exited)
            {
                throw new InvalidOperationException(
                    $"The kernel process exited with code {kernel._process.ExitCode} before it was ready. Its stderr:\n{kernel.StandardError}");
            }

            if (first == timeout)
            {
                throw new TimeoutException(
                    $"The kernel was not ready after {startTimeout}. Its stderr:\n{kernel.StandardError}");
            }

            return kernel;
        }
        catch
        {
            kernel.Dispose();
            throw;
        }
    }

    /// <summary>Submits one cell's code to one of the kernel's subkernels and collects its events until it completes.</summary>
    /// <param name="code">The cell source, sent whole (magic commands included), as VS Code sends it.</param>
    /// <param name="kernelName">The target subkernel (csharp, fsharp, pwsh, ...).</param>
    /// <param name="timeout">How long the cell may run.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task<CellExecution> SubmitAsync(string code, string kernelName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var command = new SubmitCode(code, kernelName);
        var submission = new Submission(command.GetOrCreateToken());
        lock (_gate)
        {
            if (_current is not null)
            {
                throw new InvalidOperationException("A cell is already running; submit cells one at a time.");
            }

            _current = submission;
        }

        var stopwatch = Stopwatch.StartNew();
        try
        {
            await _sender.SendAsync(command, cancellationToken).ConfigureAwait(false);
            var timeoutTask = Task.Delay(timeout, cancellationToken);
            var first = await Task.WhenAny(submission.Completed.Task, Exited, timeoutTask).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();

            if (first == submission.Completed.Task)
            {
                var failure = submission.Completed.Task.Result;
                return submission.ToExecution(
                    failure is null ? CellStatus.Succeeded : CellStatus.Failed,
                    failure,
                    stopwatch.Elapsed);
            }

            if (first == Exited)
            {
                return submission.ToExecution(
                    CellStatus.KernelExited,
                    $"The kernel process exited (code {_process.ExitCode}) while the cell was running.",
                    stopwatch.Elapsed);
            }

            return submission.ToExecution(
                CellStatus.TimedOut,
                $"The cell did not finish within {timeout}.",
                stopwatch.Elapsed);
        }
        finally
        {
            lock (_gate)
            {
                _current = null;
            }
        }
    }

    /// <summary>Kills the kernel process and everything it started.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // The process was never started or has already gone.
        }

        _subscription.Dispose();
        _receiver.Dispose();
        _stdout.Dispose();
        _process.Dispose();
    }

    private static bool IsUnder(DirectoryInfo folder, DirectoryInfo root)
    {
        var relative = Path.GetRelativePath(root.FullName, folder.FullName);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }

    /// <summary>
    /// The environment of a kernel process: no MSBuild variables of the test run, no telemetry or first-run
    /// experience, and the notebooks' default (short) setting (also used for kernels that Jupyter starts).
    /// </summary>
    /// <param name="environment">A <see cref="ProcessStartInfo.Environment"/> to adjust.</param>
    internal static void ConfigureEnvironment(IDictionary<string, string?> environment) =>
        ConfigureEnvironment(environment, NotebookRunnerOptions.DefaultEnvironment);

    /// <summary>As <see cref="ConfigureEnvironment(IDictionary{string, string?})"/>, with the caller's variables for the notebooks.</summary>
    /// <param name="environment">A <see cref="ProcessStartInfo.Environment"/> to adjust.</param>
    /// <param name="extra">Variables set last, e.g. STUDYDL_NOTEBOOK_FULL=1.</param>
    internal static void ConfigureEnvironment(IDictionary<string, string?> environment, IReadOnlyDictionary<string, string> extra)
    {
        // `dotnet test` (or `dotnet run`) runs the host with MSBuild's own variables set; inherited by the kernel they would
        // point its `#r "nuget:"` restores at the caller's MSBuild instead of the SDK's. VS Code has none of them.
        foreach (var name in environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            environment.Remove(name);
        }

        // As StdIoKernelConnector sets them, plus no lingering MSBuild nodes from restores after the kernel is killed.
        environment["DOTNET_INTERACTIVE_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_DbgEnableMiniDump"] = "0";
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";

        // The caller's settings for the notebooks, e.g. STUDYDL_NOTEBOOK_FULL=1 (Notebook.FullRun).
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }
    }

    private void OnCommandOrEvent(CommandOrEvent commandOrEvent)
    {
        if (commandOrEvent.Event is not { } kernelEvent)
        {
            return;
        }

        if (kernelEvent is KernelReady)
        {
            _ready.TrySetResult();
            return;
        }

        Submission? current;
        lock (_gate)
        {
            current = _current;
        }

        current?.OnEvent(kernelEvent);
    }

    /// <summary>The events of one SubmitCode, matched by its token (child commands get "token.n").</summary>
    private sealed class Submission(string token)
    {
        private readonly List<CellOutput> _outputs = [];
        private readonly Dictionary<string, int> _displayIndex = [];

        /// <summary>Null on success, else the failure message.</summary>
        public TaskCompletionSource<string?> Completed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnEvent(KernelEvent kernelEvent)
        {
            var eventToken = kernelEvent.Command?.GetOrCreateToken();
            if (eventToken is null ||
                !(eventToken == token || eventToken.StartsWith(token + ".", StringComparison.Ordinal)))
            {
                return;
            }

            var isOwnCommand = eventToken == token;
            lock (_outputs)
            {
                switch (kernelEvent)
                {
                    case CommandSucceeded when isOwnCommand:
                        Completed.TrySetResult(null);
                        break;
                    case CommandFailed failed when isOwnCommand:
                        Completed.TrySetResult(string.IsNullOrWhiteSpace(failed.Message)
                            ? failed.Exception?.ToString() ?? "CommandFailed with no message"
                            : failed.Message);
                        break;
                    case StandardOutputValueProduced e:
                        Add(CellOutputKind.StandardOutput, e.FormattedValues);
                        break;
                    case StandardErrorValueProduced e:
                        Add(CellOutputKind.StandardError, e.FormattedValues);
                        break;
                    case ErrorProduced e:
                        Add(CellOutputKind.Error, e.FormattedValues);
                        break;
                    case ReturnValueProduced e:
                        Add(CellOutputKind.ReturnValue, e.FormattedValues);
                        break;
                    case DisplayedValueUpdated e when e.ValueId is not null && _displayIndex.TryGetValue(e.ValueId, out var index):
                        // As in VS Code: an update (e.g. "Installing Packages...") replaces the display it updates.
                        _outputs[index] = ToOutput(CellOutputKind.Display, e.FormattedValues);
                        break;
                    case DisplayEvent e: // DisplayedValueProduced, or an update of a display we did not see
                        if (e.ValueId is not null)
                        {
                            _displayIndex[e.ValueId] = _outputs.Count;
                        }

                        Add(CellOutputKind.Display, e.FormattedValues);
                        break;
                }
            }
        }

        public CellExecution ToExecution(CellStatus status, string? failure, TimeSpan duration)
        {
            lock (_outputs)
            {
                var outputs = _outputs.ToList();
                if (status != CellStatus.Succeeded && failure is not null)
                {
                    outputs.Add(new CellOutput(CellOutputKind.Error, [new CellDisplay("text/plain", failure)]));
                }

                return new CellExecution(status, failure, outputs, duration);
            }
        }

        private void Add(CellOutputKind kind, IReadOnlyCollection<FormattedValue> values) => _outputs.Add(ToOutput(kind, values));

        private static CellOutput ToOutput(CellOutputKind kind, IReadOnlyCollection<FormattedValue> values) =>
            new(kind, [.. values.Select(v => new CellDisplay(v.MimeType, v.Value))]);
    }

    private sealed class ActionObserver(Action<CommandOrEvent> onNext) : IObserver<CommandOrEvent>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(CommandOrEvent value) => onNext(value);
    }
}

/// <summary>What one submitted cell did.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="ErrorMessage">The kernel's failure message, if it did not succeed.</param>
/// <param name="Outputs">Its output events, in order.</param>
/// <param name="Duration">How long it took.</param>
internal sealed record CellExecution(CellStatus Status, string? ErrorMessage, IReadOnlyList<CellOutput> Outputs, TimeSpan Duration);
