using static TorchSharp.torch;

namespace Studying.DeepLearning.Classification;

/// <summary>The full-batch loop of notebook 3-1's small models: one update per epoch, the loss recorded before each.</summary>
internal static class FullBatchTraining
{
    /// <summary>
    /// Runs <paramref name="epochs"/> updates and returns epochs + 1 losses (before each update, and after the last).
    /// A non-finite loss stops training with a message naming the epoch.
    /// </summary>
    public static List<double> Run(optim.Optimizer optimizer, Func<Tensor> loss, int epochs, double learningRate, CancellationToken cancellationToken)
    {
        var losses = new List<double>(epochs + 1);
        for (var epoch = 1; epoch <= epochs + 1; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var current = loss();
            var value = current.item<double>();
            if (!double.IsFinite(value))
                throw new InvalidOperationException($"The loss became {value} at epoch {epoch}; lower the learning rate ({learningRate}).");
            losses.Add(value);
            if (epoch > epochs)
                break;
            current.backward();
            optimizer.step();
        }
        return losses;
    }
}
