using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>
/// Notebook 2-3's model as a TorchSharp module: one <c>nn.Linear(1, 1)</c>, so ŷ = w·x + b. The constructor calls
/// <c>RegisterComponents()</c>, which makes the layer's weight and bias the module's parameters (without it,
/// <c>parameters()</c> would be empty and the optimiser would train nothing).
/// </summary>
public sealed class LinearRegressionModule : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear;

    /// <summary>Creates the model with TorchSharp's default (seeded by <c>torch.random.manual_seed</c>) initialisation.</summary>
    /// <param name="dtype">The parameters' element type.</param>
    public LinearRegressionModule(ScalarType dtype = ScalarType.Float64) : base(nameof(LinearRegressionModule))
    {
        TorchRuntime.EnsureLoaded();
        linear = nn.Linear(1, 1, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>ŷ = x·wᵀ + b for x of shape [n, 1].</summary>
    /// <param name="input">The inputs, one row per sample, in the parameters' element type and on their device.</param>
    /// <exception cref="ArgumentException">Another shape than [n ≥ 1, 1], element type or device (checked before any native call).</exception>
    public override Tensor forward(Tensor input)
    {
        ModelInput.Require(input, nameof(LinearRegressionModule), "batch, features", linear.weight!, 1);
        return linear.forward(input);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            linear.Dispose();
        base.Dispose(disposing);
    }
}
