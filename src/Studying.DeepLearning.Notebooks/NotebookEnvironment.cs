namespace Studying.DeepLearning.Notebooks;

/// <summary>
/// The environment variables the notebook tooling sets for the kernel process, read inside the kernel by
/// Studying.DeepLearning.Interactive's Notebook (which does not reference this project: the names are repeated
/// there, and a test checks that they agree).
/// </summary>
public static class NotebookEnvironment
{
    /// <summary>
    /// <c>STUDYDL_NOTEBOOK_FULL=1</c>: notebooks with long experiments run them at their full size instead of the
    /// short default (every notebook runs in a few minutes on 2 cores without it).
    /// </summary>
    public const string FullRunVariable = "STUDYDL_NOTEBOOK_FULL";

    /// <summary>
    /// <c>STUDYDL_NOTEBOOK_PNG=1</c>: charts are displayed as a static image/png as well as their interactive
    /// text/html, so that the executed notebook shows them where no script runs (GitHub, nbconvert without JS).
    /// </summary>
    public const string PngVariable = "STUDYDL_NOTEBOOK_PNG";
}
