using Studying.DeepLearning.Training;
namespace Studying.DeepLearning.GradientDescent;

/// <summary>One point on the descent path: the parameter and the loss after an update.</summary>
/// <param name="Step">Number of updates made so far (0 is the starting point).</param>
/// <param name="Epoch">The epoch the update belongs to (0 for the starting point).</param>
/// <param name="Slope">The parameter a after this step.</param>
/// <param name="Loss">The full-data loss J(a) after this step.</param>
public sealed record DescentStep(int Step, int Epoch, double Slope, double Loss);

/// <summary>The result of <see cref="SlopeDescent.Run"/>: the path it took and how it ended.</summary>
/// <param name="Options">The settings used.</param>
/// <param name="Path">Every step from the start, including the start (step 0). A divergent run stops at the step that diverged.</param>
/// <param name="Divergence">Set when the run was stopped because the loss blew up; otherwise <see langword="null"/>.</param>
public sealed record DescentRun(DescentOptions Options, IReadOnlyList<DescentStep> Path, Divergence? Divergence)
{
    /// <summary>Whether the run was stopped as divergent.</summary>
    public bool Diverged => Divergence is not null;

    /// <summary>The last slope reached (the last finite one, for a divergent run).</summary>
    public double FinalSlope => LastFinite.Slope;

    /// <summary>The last loss reached (the last finite one, for a divergent run).</summary>
    public double FinalLoss => LastFinite.Loss;

    private DescentStep LastFinite =>
        Path.LastOrDefault(s => double.IsFinite(s.Loss) && double.IsFinite(s.Slope)) ?? Path[0];
}
