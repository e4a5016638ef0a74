namespace Studying.DeepLearning.Plotting;

/// <summary>What saving a chart as PNG needs, checked before any work so that a long run does not fail at its last step.</summary>
public static class PngSupport
{
    /// <summary>Returns the local Chromium that <see cref="Figure.SavePng"/> would launch.</summary>
    /// <exception cref="InvalidOperationException">No browser was found (the message says how to install or name one).</exception>
    public static string RequireBrowser() => Chromium.Find();
}
