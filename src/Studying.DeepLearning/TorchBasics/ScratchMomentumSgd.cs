namespace Studying.DeepLearning.TorchBasics;

/// <summary>
/// SGD with momentum as PyTorch defines it (dampening 0): g ← g + λp (L2 weight decay), v ← g on the first step and
/// v ← μv + g afterwards, p ← p − lr·v. (Other texts scale the buffer, v ← μv + lr·g; with a constant learning rate
/// that is the same path.)
/// </summary>
/// <param name="learningRate">lr; positive.</param>
/// <param name="momentum">μ in [0, 1).</param>
/// <param name="weightDecay">λ ≥ 0, added to the gradient as λp.</param>
public sealed class ScratchMomentumSgd(double learningRate, double momentum = 0.9, double weightDecay = 0) : IScratchOptimizer
{
    private double[] velocity = [];

    /// <inheritdoc/>
    public void Update(double[] parameters, IReadOnlyList<double> gradient)
    {
        ScratchDescent.CheckSizes(parameters, gradient, velocity.Length);
        var first = velocity.Length == 0;
        if (first)
            velocity = new double[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var g = gradient[i] + weightDecay * parameters[i];
            velocity[i] = first ? g : momentum * velocity[i] + g;
            parameters[i] -= learningRate * velocity[i];
        }
    }
}
