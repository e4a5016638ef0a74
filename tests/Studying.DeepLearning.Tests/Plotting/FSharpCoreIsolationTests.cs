using System.Runtime.Loader;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.Notebooks;

namespace Studying.DeepLearning.Tests.Plotting;

/// <summary>
/// The notebook kernel (dotnet-interactive) has FSharp.Core 10.0 loaded before any cell runs, and Plotly.NET 6 needs
/// 10.1. These tests reproduce that in a child process: FSharp.Core 10.0 — the kernel's own copy — is loaded into
/// the default context first (by a startup hook, before Main), then a figure is rendered.
/// </summary>
[Trait("Tier", "unit")]
public sealed class FSharpCoreIsolationTests
{
    /// <summary>Set in the child process only: tells <see cref="PlottingIsolationStartupHook"/> to run.</summary>
    internal const string ChildVariable = "STUDYDL_ISOLATION_CHILD_FSHARP_CORE";

    /// <summary>Renders a chart in a process whose default context already holds FSharp.Core 10.0.</summary>
    [Fact]
    public async Task Rendering_Works_WhenTheHostAlreadyLoadedFSharpCore10_0()
    {
        var kernelFSharpCore = await KernelFSharpCoreAsync();
        var testAssembly = typeof(FSharpCoreIsolationTests).Assembly.Location;
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                "exec",
                "--runtimeconfig", Path.ChangeExtension(testAssembly, ".runtimeconfig.json"),
                "--depsfile", Path.ChangeExtension(testAssembly, ".deps.json"),
                testAssembly,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["DOTNET_STARTUP_HOOKS"] = testAssembly,
                [ChildVariable] = kernelFSharpCore,
            },
        };

        using var child = System.Diagnostics.Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await child.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;

        Assert.True(child.ExitCode == 0, $"child exited with {child.ExitCode}:\n{output}");
        Assert.Contains("default FSharp.Core 10.0.0.0", output, StringComparison.Ordinal);
        Assert.Contains("plotting FSharp.Core 10.1.0.0", output, StringComparison.Ordinal);
        Assert.Contains("html ok", output, StringComparison.Ordinal);
    }

    // The kernel tool's own FSharp.Core; the tool is restored first if this machine never restored it.
    private static async Task<string> KernelFSharpCoreAsync()
    {
        var tool = Path.Combine(await KernelTool.PackageFolderAsync(), "tools");
        return Directory.GetFiles(tool, "FSharp.Core.dll", SearchOption.AllDirectories).FirstOrDefault()
            ?? throw new InvalidOperationException($"The kernel's FSharp.Core was not found under {tool}.");
    }
}

/// <summary>
/// Runs in the child process of <see cref="FSharpCoreIsolationTests"/> as a .NET startup hook, before Main: plays
/// the notebook kernel by loading FSharp.Core 10.0 into the default context, renders a figure and exits.
/// Inert unless the child's environment variable is set.
/// </summary>
internal static class PlottingIsolationStartupHook
{
    /// <summary>The work of the child process.</summary>
    public static void Run()
    {
        if (Environment.GetEnvironmentVariable(FSharpCoreIsolationTests.ChildVariable) is not { Length: > 0 } fsharpCore)
        {
            return;
        }

        try
        {
            var preloaded = AssemblyLoadContext.Default.LoadFromAssemblyPath(fsharpCore);
            Console.WriteLine($"default FSharp.Core {preloaded.GetName().Version}");

            var html = new Figure("t", Trace.Line("a", [1, 2], [3, 4])).ToHtml();
            var plotting = AssemblyLoadContext.All.Single(c => c.Name == "Studying.DeepLearning.Plotting");
            var privateCore = plotting.Assemblies.Single(a => a.GetName().Name == "FSharp.Core");
            Console.WriteLine($"plotting FSharp.Core {privateCore.GetName().Version}");
            Console.WriteLine(html.Contains("Plotly.newPlot", StringComparison.Ordinal) ? "html ok" : "html WRONG");
            Environment.Exit(0);
        }
#pragma warning disable CA1031 // the child reports any failure to the parent test through its output and exit code
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine(ex);
            Environment.Exit(1);
        }
    }
}
