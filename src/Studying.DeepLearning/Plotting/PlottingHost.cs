using System.Reflection;

namespace Studying.DeepLearning.Plotting;

/// <summary>
/// Finds the Plotly.NET implementation (Studying.DeepLearning.Plotting.Impl and its dependencies, in a folder named
/// <c>plotting</c>), loads it once per process into a <see cref="PlottingLoadContext"/> and binds its entry points.
/// </summary>
internal static class PlottingHost
{
    /// <summary>The environment variable that names the plotting folder explicitly.</summary>
    public const string FolderVariable = "STUDYDL_PLOTTING_DIR";

    private const string ImplementationFile = "Studying.DeepLearning.Plotting.Impl.dll";
    private const string EntryPointType = "Studying.DeepLearning.Plotting.Impl.PlottingEntryPoint";

    private static readonly Lazy<EntryPoints> Bound = new(Bind, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The bound entry points; the first use loads the implementation.</summary>
    public static EntryPoints Entry => Bound.Value;

    /// <summary>The folders searched for the implementation, most specific first.</summary>
    public static IEnumerable<string> CandidateFolders()
    {
        if (Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } configured)
        {
            yield return configured;
        }

        var location = typeof(PlottingHost).Assembly.Location;
        if (location.Length > 0)
        {
            var here = Path.GetDirectoryName(location)!;
            yield return Path.Combine(here, "plotting");                       // build, publish and consumer output
            yield return Path.GetFullPath(Path.Combine(here, "..", "..", "plotting")); // NuGet cache: lib/net10.0/ → package root
        }

        yield return Path.Combine(AppContext.BaseDirectory, "plotting");
    }

    private static EntryPoints Bind()
    {
        var tried = CandidateFolders().Distinct(StringComparer.Ordinal).ToList();
        var implementation = tried.Select(folder => Path.Combine(folder, ImplementationFile)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"The chart renderer ({ImplementationFile} with Plotly.NET) was not found. Looked in: "
                + string.Join(", ", tried)
                + $". Build the solution (the library build copies it into a 'plotting' folder beside Studying.DeepLearning.dll), "
                + $"reference the Studying.DeepLearning package (its build step copies it), or set {FolderVariable}.");

        var context = new PlottingLoadContext(Path.GetFullPath(implementation));
        var type = context.LoadFromAssemblyPath(Path.GetFullPath(implementation)).GetType(EntryPointType, throwOnError: true)!;

        // Delegates rather than MethodInfo.Invoke: exceptions thrown inside arrive as they are, not wrapped in a
        // TargetInvocationException, and calls cost no reflection after this.
        return new EntryPoints(
            Method<Func<string, bool, string>>(type, "ToHtml"),
            Method<Func<string, string>>(type, "ToDocument"),
            Method<Func<string, string, string>>(type, "ToDocumentWithScript"),
            Method<Func<byte[]>>(type, "PlotlyJavaScript"),
            Method<Func<string, int, int, string, string[], byte[]>>(type, "ToPng"),
            context);
    }

    private static T Method<T>(Type type, string name)
        where T : Delegate =>
        (type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)
            ?? throw new MissingMethodException(type.FullName, name)).CreateDelegate<T>();

    /// <summary>The implementation's entry points (see PlottingEntryPoint in the Impl project).</summary>
    /// <param name="ToHtml">Figure JSON and whether to inline plotly.js → HTML fragment.</param>
    /// <param name="ToDocument">Figure JSON → self-contained HTML document.</param>
    /// <param name="ToDocumentWithScript">Figure JSON, plotly.js URL → HTML document loading plotly.js from that URL.</param>
    /// <param name="PlotlyJavaScript">→ the plotly.js bytes Plotly.NET embeds.</param>
    /// <param name="ToPng">Figure JSON, width, height, browser path, browser switches → PNG bytes.</param>
    /// <param name="Context">The load context holding the implementation.</param>
    internal sealed record EntryPoints(
        Func<string, bool, string> ToHtml,
        Func<string, string> ToDocument,
        Func<string, string, string> ToDocumentWithScript,
        Func<byte[]> PlotlyJavaScript,
        Func<string, int, int, string, string[], byte[]> ToPng,
        PlottingLoadContext Context);
}
