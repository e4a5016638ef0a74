namespace Studying.DeepLearning.Data;

/// <summary>
/// Where data-set files are looked for, in this order: <see cref="Folder"/>; <see cref="EnvironmentRoot"/>/name
/// (the STUDYDL_DATA variable); <see cref="CacheRoot"/>/name (the user cache, where downloads go);
/// <see cref="SystemRoot"/>/name (Debian's /usr/share/datasets). If none holds every file and
/// <see cref="AllowDownload"/> is set, the files are downloaded, verified, into the cache folder.
/// </summary>
/// <param name="Folder">An explicit folder holding the files, looked in first; null to skip.</param>
/// <param name="EnvironmentRoot">A root with one subfolder per data set; null to skip.</param>
/// <param name="CacheRoot">The user cache root (downloads go to its subfolder); null to skip looking and downloading.</param>
/// <param name="SystemRoot">A system-wide root such as /usr/share/datasets; null to skip.</param>
/// <param name="AllowDownload">Whether missing files may be downloaded.</param>
/// <param name="Client">The HTTP client for downloads; null for a new one.</param>
public sealed record DataSetSources(
    string? Folder, string? EnvironmentRoot, string? CacheRoot, string? SystemRoot, bool AllowDownload = true, HttpClient? Client = null)
{
    /// <summary>The environment variable naming a data root with one subfolder per data set.</summary>
    public const string EnvironmentVariable = "STUDYDL_DATA";

    /// <summary>The usual places: the given folder, STUDYDL_DATA, the user cache (studydl), /usr/share/datasets.</summary>
    /// <param name="folder">An explicit folder to look in first, or null.</param>
    /// <param name="allowDownload">Whether missing files may be downloaded.</param>
    public static DataSetSources Default(string? folder = null, bool allowDownload = true) =>
        new(folder, NullIfEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable)), UserCacheRoot(),
            OperatingSystem.IsWindows() ? null : "/usr/share/datasets", allowDownload);

    /// <summary>
    /// Only <paramref name="folder"/>: nothing else is searched and nothing is downloaded, so a folder the user named
    /// is never silently replaced by another copy. A folder that is missing, a file, empty or lacking files is an error
    /// that names the missing files (see <see cref="Locate"/>).
    /// </summary>
    /// <param name="folder">The folder holding the data set's files.</param>
    public static DataSetSources Explicit(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return new(Path.GetFullPath(folder), null, null, null, AllowDownload: false);
    }

    /// <summary>Whether only <see cref="Folder"/> is looked in (see <see cref="Explicit"/>).</summary>
    public bool IsExplicit => Folder is not null && EnvironmentRoot is null && CacheRoot is null && SystemRoot is null && !AllowDownload;

    /// <summary>
    /// For an explicit folder: throws unless it exists, is a folder and holds <paramref name="fileNames"/>. The message
    /// names the folder, what is wrong with it and the missing files.
    /// </summary>
    /// <param name="dataSetName">The data set's name, for the message.</param>
    /// <param name="folder">The folder.</param>
    /// <param name="fileNames">The files it must hold.</param>
    /// <param name="alternative">Another way the folder could hold the data (such as an archive), for the message; or null.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">Some files are missing (or the path is a file, or the folder is empty).</exception>
    public static void RequireFiles(string dataSetName, string folder, IReadOnlyList<string> fileNames, string? alternative = null)
    {
        ArgumentNullException.ThrowIfNull(fileNames);
        var needs = $"{dataSetName} needs {string.Join(", ", fileNames)}{(alternative is null ? "" : $" (or {alternative})")}";
        if (File.Exists(folder))
            throw new FileNotFoundException($"{folder} is a file, not a folder; {needs} in one folder. Give that folder.", folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"The data folder {folder} does not exist; {needs} in it. Give the folder that holds them.");
        if (!Directory.EnumerateFileSystemEntries(folder).Any())
            throw new FileNotFoundException($"The data folder {folder} is empty; {needs} in it. Copy them there or give the folder that holds them.", folder);
        var missing = fileNames.Where(f => !File.Exists(Path.Combine(folder, f))).ToArray();
        if (missing.Length > 0)
            throw new FileNotFoundException($"The data folder {folder} lacks {string.Join(", ", missing)}; {needs}. Copy the missing files there or give the folder that holds them.", Path.Combine(folder, missing[0]));
    }

    /// <summary>$XDG_CACHE_HOME/studydl or ~/.cache/studydl (LocalApplicationData\studydl on Windows).</summary>
    public static string UserCacheRoot()
    {
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "studydl");
        var xdg = NullIfEmpty(Environment.GetEnvironmentVariable("XDG_CACHE_HOME"));
        return Path.Combine(xdg ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "studydl");
    }

    /// <summary>The folders searched for a data set, in order (without the download).</summary>
    /// <param name="dataSetName">The data set's subfolder name, such as "fashion-mnist".</param>
    public IReadOnlyList<string> Candidates(string dataSetName)
    {
        var folders = new List<string>();
        if (Folder is not null)
            folders.Add(Folder);
        foreach (var root in new[] { EnvironmentRoot, CacheRoot, SystemRoot })
        {
            if (root is not null)
                folders.Add(Path.Combine(root, dataSetName));
        }
        return folders;
    }

    /// <summary>
    /// The first folder that holds every file, or — if none does and downloads are allowed — the cache folder after
    /// downloading the missing files into it.
    /// </summary>
    /// <param name="dataSetName">The data set's subfolder name.</param>
    /// <param name="files">The files it needs.</param>
    /// <param name="progress">Reports where the files were found or downloads.</param>
    /// <param name="cancellationToken">Stops a download.</param>
    /// <exception cref="FileNotFoundException">Not found and downloads are off (the message lists where it looked).</exception>
    /// <exception cref="IOException">A download failed.</exception>
    public string Locate(string dataSetName, IReadOnlyList<RemoteFile> files, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataSetName);
        ArgumentNullException.ThrowIfNull(files);
        if (IsExplicit)
        {
            RequireFiles(dataSetName, Folder!, [.. files.Select(f => f.FileName)]);
            progress?.Report($"{dataSetName}: found in {Folder}");
            return Folder!;
        }
        var candidates = Candidates(dataSetName);
        foreach (var folder in candidates)
        {
            if (files.All(f => File.Exists(Path.Combine(folder, f.FileName))))
            {
                progress?.Report($"{dataSetName}: found in {folder}");
                return folder;
            }
        }
        if (!AllowDownload || CacheRoot is null)
            throw new FileNotFoundException($"{dataSetName}: the files {string.Join(", ", files.Select(f => f.FileName))} were not all found in any of: "
                + $"{(candidates.Count == 0 ? "(no folder given)" : string.Join(", ", candidates))}, and downloading is off. "
                + $"Put them in one of these folders or set {EnvironmentVariable} to a root holding a '{dataSetName}' folder.");

        var cache = Path.Combine(CacheRoot, dataSetName);
        var client = Client ?? new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        try
        {
            var downloader = new DataSetDownloader(client);
            foreach (var file in files.Where(f => !File.Exists(Path.Combine(cache, f.FileName))))
                downloader.DownloadAsync(file, cache, progress, cancellationToken).GetAwaiter().GetResult();
        }
        finally
        {
            if (Client is null)
                client.Dispose();
        }
        return cache;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
