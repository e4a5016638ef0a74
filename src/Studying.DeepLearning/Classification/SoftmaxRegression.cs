using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Classification;

/// <summary>
/// Multinomial logistic (softmax) regression: flatten, then one <c>Linear(inputFeatures, classes)</c>. It returns
/// LOGITS; <c>cross_entropy</c> applies log-softmax itself, so no softmax layer belongs in the model. On 784 → 10
/// it has 784·10 + 10 = 7,850 parameters.
/// </summary>
public sealed class SoftmaxRegression : nn.Module<Tensor, Tensor>
{
    private readonly Flatten flatten;
    private readonly Linear linear;

    /// <summary>Creates the model (initialised by TorchSharp's defaults, seeded by <c>torch.random.manual_seed</c>).</summary>
    /// <param name="inputFeatures">Values per sample after flattening (784 for 1×28×28, 3,072 for 3×32×32).</param>
    /// <param name="classes">Number of classes.</param>
    public SoftmaxRegression(int inputFeatures, int classes) : base(nameof(SoftmaxRegression))
    {
        ModelInput.Positive(inputFeatures, nameof(inputFeatures));
        ModelInput.Positive(classes, nameof(classes));
        TorchRuntime.EnsureLoaded();
        InputFeatures = inputFeatures;
        Classes = classes;
        flatten = nn.Flatten();
        linear = nn.Linear(inputFeatures, classes);
        RegisterComponents();
    }

    /// <summary>Values per sample the model takes.</summary>
    public int InputFeatures { get; }

    /// <summary>Number of classes (logits per sample).</summary>
    public int Classes { get; }

    /// <summary>Logits [batch, classes] for float32 input [batch, …] holding <see cref="InputFeatures"/> values per sample.</summary>
    /// <param name="input">Images [batch, C, H, W] or rows [batch, features].</param>
    /// <exception cref="ArgumentException">The input does not hold <see cref="InputFeatures"/> float32 values per sample.</exception>
    public override Tensor forward(Tensor input)
    {
        ModelInput.RequireFlattenable(input, nameof(SoftmaxRegression), linear.weight!, InputFeatures);
        using var flat = flatten.forward(input);
        return linear.forward(flat);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            flatten.Dispose();
            linear.Dispose();
        }
        base.Dispose(disposing);
    }
}
