namespace Studying.DeepLearning.Infrastructure;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler at once on the reporting thread. <see cref="Progress{T}"/>
/// posts to the captured synchronisation context or the thread pool instead, so its reports can arrive late and out
/// of order — wrong for a progress bar or a chart that should follow training step by step.
/// </summary>
/// <typeparam name="T">The kind of report.</typeparam>
/// <param name="report">Called with every report.</param>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Action<T> handler = report ?? throw new ArgumentNullException(nameof(report));

    /// <summary>Passes the report to the handler.</summary>
    /// <param name="value">The report.</param>
    public void Report(T value) => handler(value);
}
