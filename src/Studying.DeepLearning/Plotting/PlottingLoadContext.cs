using System.Reflection;
using System.Runtime.Loader;

namespace Studying.DeepLearning.Plotting;

/// <summary>
/// The load context of the Plotly.NET implementation: FSharp.Core 10.1, Plotly.NET, PuppeteerSharp and the rest
/// come from the private <c>plotting</c> folder, whatever the host has already loaded (a notebook kernel pins its
/// own FSharp.Core); everything else — the framework — comes from the default context. Only strings, numbers and
/// byte arrays cross, so no type needs to be shared.
/// </summary>
internal sealed class PlottingLoadContext : AssemblyLoadContext
{
    private readonly string _folder;
    private readonly AssemblyDependencyResolver? _resolver;

    /// <summary>Creates the context for the implementation assembly at <paramref name="implementationPath"/>.</summary>
    /// <param name="implementationPath">The full path of Studying.DeepLearning.Plotting.Impl.dll.</param>
    public PlottingLoadContext(string implementationPath)
        : base("Studying.DeepLearning.Plotting", isCollectible: false)
    {
        _folder = Path.GetDirectoryName(implementationPath)!;

        // The .deps.json written beside the plugin lists its assets; without it, fall back to probing the folder.
        _resolver = File.Exists(Path.ChangeExtension(implementationPath, ".deps.json"))
            ? new AssemblyDependencyResolver(implementationPath)
            : null;
    }

    /// <inheritdoc/>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = _resolver?.ResolveAssemblyToPath(assemblyName) ?? Probe(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path); // null: the default context provides it
    }

    /// <inheritdoc/>
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver?.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    private string? Probe(AssemblyName assemblyName)
    {
        var folder = string.IsNullOrEmpty(assemblyName.CultureName) ? _folder : Path.Combine(_folder, assemblyName.CultureName);
        var path = Path.Combine(folder, assemblyName.Name + ".dll");
        return File.Exists(path) ? path : null;
    }
}
