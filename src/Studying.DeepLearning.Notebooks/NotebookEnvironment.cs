namespace Studying.DeepLearning.Notebooks;

/// <summary>
/// The environment variables the notebook tooling sets for the kernel process, read inside the kernel by
/// Studying.DeepLearning.Interactive's Notebook (which does not reference this project: the names are repeated
/// there, and a test checks that they agree).
/// </summary>
public static class NotebookEnvironment
{
    /// <summary><c>STUDYDL_NOTEBOOK_QUICK=1</c>: notebooks with long experiments run them at their small size.</summary>
    public const string QuickRunVariable = "STUDYDL_NOTEBOOK_QUICK";

    /// <summary>
    /// <c>STUDYDL_NOTEBOOK_PNG=1</c>: charts are displayed as a static image/png as well as their interactive
    /// text/html, so that the executed notebook shows them where no script runs (GitHub, nbconvert without JS).
    /// </summary>
    public const string PngVariable = "STUDYDL_NOTEBOOK_PNG";
}
