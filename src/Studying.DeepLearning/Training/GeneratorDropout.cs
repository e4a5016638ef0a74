using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Training;

/// <summary>
/// Dropout that draws its mask from the run's generator (<see cref="TrainingRandom.Current"/>), so two trainings in
/// one process never share or disturb each other's randomness: in training mode each element is kept with probability
/// 1 − p (mask = U[0, 1) &lt; 1 − p) and scaled by 1/(1 − p); in eval mode it is the identity. The semantics are
/// <c>nn.Dropout</c>'s (inverted dropout, the same keep rate, gradient mask/(1 − p)); only the numbers drawn differ.
/// </summary>
/// <remarks>
/// It has no parameters or buffers, so a model's state-dict names are the same as with <c>nn.Dropout</c>. Outside a
/// <see cref="Trainer"/> run it draws from torch's global generator, like <c>nn.Dropout</c>.
/// </remarks>
public sealed class GeneratorDropout : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module.</summary>
    /// <param name="p">The probability of zeroing an element, in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> lies outside [0, 1].</exception>
    public GeneratorDropout(double p = 0.5) : base("Dropout")
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, "A dropout probability must lie in [0, 1].");
        Probability = p;
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double Probability { get; }

    /// <summary>The input with elements zeroed at random and the rest scaled by 1/(1 − p) in training mode; the input itself in eval mode.</summary>
    /// <param name="input">A floating-point tensor of any shape.</param>
    /// <exception cref="ArgumentException">The input is not floating point.</exception>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!training || Probability == 0)
            return input.alias();
        if (!input.is_floating_point())
            throw new ArgumentException($"Dropout needs a floating-point input, not {input.dtype}.", nameof(input));
        using var scope = NewDisposeScope();
        var keep = 1 - Probability;
        var mask = TrainingRandom.Rand(input.shape, input.dtype, input.device).lt_(keep);
        var result = keep == 0 ? input.mul(mask) : input.mul(mask).div_(keep);
        return result.MoveToOuterDisposeScope();
    }
}
