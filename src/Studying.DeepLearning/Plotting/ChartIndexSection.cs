namespace Studying.DeepLearning.Plotting;

/// <summary>
/// One section of a <see cref="ChartIndex"/> landing page: a sub-folder of chart pages, its headline numbers and its
/// charts. Stored as <c>summary.json</c> in that folder, so the page can be rebuilt from whatever folders are present.
/// </summary>
/// <param name="Folder">The sub-folder's name (one plain path segment, e.g. <c>gd</c>).</param>
/// <param name="Title">The section's heading.</param>
public sealed record ChartIndexSection(string Folder, string Title)
{
    /// <summary>Sections are listed by this number, then by folder name.</summary>
    public int Order { get; init; }

    /// <summary>A sentence under the heading (e.g. the command that wrote the folder), or <see langword="null"/>.</summary>
    public string? Description { get; init; }

    /// <summary>The headline results, in the order shown.</summary>
    public IReadOnlyList<HeadlineNumber> Numbers { get; init; } = [];

    /// <summary>The chart pages in the folder, in the order listed.</summary>
    public IReadOnlyList<ChartLink> Charts { get; init; } = [];

    /// <summary>When the summary was written (set by <see cref="ChartIndex.WriteSummary"/>).</summary>
    public DateTimeOffset? WrittenAt { get; init; }
}

/// <summary>A headline result shown on the index page.</summary>
/// <param name="Label">What was measured (e.g. "fitted slope a").</param>
/// <param name="Value">The result, formatted for reading (e.g. "1.99999999999985").</param>
public sealed record HeadlineNumber(string Label, string Value);

/// <summary>A chart page in a section's folder.</summary>
/// <param name="File">The page's file name in the section folder (one plain path segment, e.g. <c>GD.html</c>).</param>
/// <param name="Title">The link text: the figure's title.</param>
public sealed record ChartLink(string File, string Title);
