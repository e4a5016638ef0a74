namespace Studying.DeepLearning.Plotting;

/// <summary>
/// The plotly.js that charts load when they share one script file (<see cref="Figure.SaveHtml(string, string)"/>):
/// exactly the bytes Plotly.NET embeds and inlines into self-contained pages, never fetched from the network.
/// </summary>
public static class PlotlyScriptFile
{
    /// <summary>The name the CLI gives the shared script at the root of its output folder.</summary>
    public const string DefaultFileName = "plotly.min.js";

    /// <summary>The plotly.js bytes bundled with the chart renderer.</summary>
    public static ReadOnlyMemory<byte> Bytes => Embedded.Value;

    private static readonly Lazy<byte[]> Embedded = new(() => PlottingHost.Entry.PlotlyJavaScript(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Writes plotly.js to <paramref name="path"/> unless the file already holds exactly these bytes.</summary>
    /// <param name="path">The script file; its folder is created if missing. Written whole or not at all.</param>
    /// <returns><see langword="true"/> if the file was (re)written.</returns>
    public static bool Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = Embedded.Value;
        var info = new FileInfo(Path.GetFullPath(path));
        if (info.Exists && info.Length == bytes.Length && File.ReadAllBytes(info.FullName).AsSpan().SequenceEqual(bytes))
        {
            return false;
        }

        AtomicFile.Write(info.FullName, temporary => File.WriteAllBytes(temporary, bytes));
        return true;
    }

    /// <summary>
    /// The URL by which a page in <paramref name="fromFolder"/> refers to <paramref name="target"/>: relative, with
    /// '/' separators and each segment percent-escaped (so it is safe inside an HTML attribute as it is).
    /// </summary>
    internal static string RelativeUrl(string fromFolder, string target)
    {
        var relative = Path.GetRelativePath(fromFolder, target);
        if (Path.IsPathRooted(relative))
        {
            return new Uri(relative).AbsoluteUri; // another drive: only an absolute file:// URL reaches it
        }

        var segments = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return string.Join('/', segments.Select(s => s == ".." ? s : Uri.EscapeDataString(s)));
    }
}
