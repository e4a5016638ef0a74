using Studying.DeepLearning.Training;
namespace Studying.DeepLearning.GradientDescent;

/// <summary>
/// Gradient descent on ŷ = a·x with the hand-derived gradient of <see cref="SlopeLoss"/>, recording every step.
/// </summary>
public static class SlopeDescent
{
    /// <summary>
    /// Runs gradient descent from <see cref="DescentOptions.InitialSlope"/> and returns the path. A run whose loss
    /// becomes non-finite or exceeds <see cref="DescentOptions.DivergenceFactor"/> × the initial loss is stopped
    /// at that step and reported in <see cref="DescentRun.Divergence"/>; it never goes on training on NaN.
    /// </summary>
    /// <param name="x">Inputs (finite, non-empty).</param>
    /// <param name="y">Targets, one per input (finite).</param>
    /// <param name="options">Learning rate, epochs, start and update mode.</param>
    /// <param name="cancellationToken">Stops the run between updates.</param>
    public static DescentRun Run(IReadOnlyList<double> x, IReadOnlyList<double> y, DescentOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        SlopeLoss.Validate(x, y);
        options.Validate();

        var slope = options.InitialSlope;
        var initialLoss = SlopeLoss.Value(slope, x, y);
        var path = new List<DescentStep> { new(0, 0, slope, initialLoss) };
        var limit = Math.Max(initialLoss, 1e-300) * options.DivergenceFactor;
        var step = 0;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (options.Mode == UpdateMode.FullBatch)
            {
                slope -= options.LearningRate * SlopeLoss.Gradient(slope, x, y);
                if (Record(++step, epoch) is { } divergence)
                    return new DescentRun(options, path, divergence);
            }
            else
            {
                for (var i = 0; i < x.Count; i++)
                {
                    // The gradient of the i-th sample's own squared error: 2·xᵢ(a·xᵢ − yᵢ).
                    slope -= options.LearningRate * 2 * x[i] * (slope * x[i] - y[i]);
                    if (Record(++step, epoch) is { } divergence)
                        return new DescentRun(options, path, divergence);
                }
            }
        }
        return new DescentRun(options, path, null);

        Divergence? Record(int stepNumber, int epoch)
        {
            var loss = double.IsFinite(slope) ? SlopeLoss.Value(slope, x, y) : double.NaN;
            path.Add(new DescentStep(stepNumber, epoch, slope, loss));
            if (!double.IsFinite(loss))
                return new Divergence(stepNumber, loss, $"Diverged at step {stepNumber} (epoch {epoch}): a = {slope:G4} and the loss is {loss}, no longer a finite number; the learning rate {options.LearningRate} is too large.");
            if (loss > limit)
                return new Divergence(stepNumber, loss, $"Diverged at step {stepNumber} (epoch {epoch}): a = {slope:G4} and the loss {loss:G4} exceeds {options.DivergenceFactor:G3} × the initial loss {initialLoss:G4}; the learning rate {options.LearningRate} is too large.");
            return null;
        }
    }
}
