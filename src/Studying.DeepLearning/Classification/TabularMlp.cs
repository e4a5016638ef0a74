using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Classification;

/// <summary>
/// The classifier for the CSV data sets (diabetes, Titanic, Otto): rows [batch, features] → Linear → ReLU → (Dropout) →
/// Linear → LOGITS [batch, classes]. One hidden layer is enough for a few thousand rows; the originals' stacks of
/// 6–13 wide layers only overfitted. Parameters: (in·hidden + hidden) + (hidden·classes + classes).
/// </summary>
/// <remarks>The inputs should be standardised (training statistics only) before they reach this model.</remarks>
public sealed class TabularMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly ReLU relu;
    private readonly GeneratorDropout? dropout;
    private readonly Linear logits;

    /// <summary>Creates the network (TorchSharp's default initialisation, seeded by <c>torch.random.manual_seed</c>).</summary>
    /// <param name="inputFeatures">Columns per row.</param>
    /// <param name="hiddenSize">Width of the hidden layer.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="dropoutProbability">Dropout after the hidden activation, in [0, 1); 0 for none.</param>
    public TabularMlp(int inputFeatures, int hiddenSize, int classes, double dropoutProbability = 0) : base(nameof(TabularMlp))
    {
        ModelInput.Positive(inputFeatures, nameof(inputFeatures));
        ModelInput.Positive(hiddenSize, nameof(hiddenSize));
        ModelInput.Positive(classes, nameof(classes));
        ModelInput.DropoutProbability(dropoutProbability, nameof(dropoutProbability));
        TorchRuntime.EnsureLoaded();
        InputFeatures = inputFeatures;
        Classes = classes;
        hidden = nn.Linear(inputFeatures, hiddenSize);
        relu = nn.ReLU();
        dropout = dropoutProbability > 0 ? new GeneratorDropout(dropoutProbability) : null;
        logits = nn.Linear(hiddenSize, classes);
        RegisterComponents();
    }

    /// <summary>Columns per row the model takes.</summary>
    public int InputFeatures { get; }

    /// <summary>Number of classes (logits per sample).</summary>
    public int Classes { get; }

    /// <summary>Logits [batch, classes] for float32 rows [batch, <see cref="InputFeatures"/>].</summary>
    /// <param name="input">The rows.</param>
    /// <exception cref="ArgumentException">The input is not float32 [batch, <see cref="InputFeatures"/>].</exception>
    public override Tensor forward(Tensor input)
    {
        ModelInput.Require(input, nameof(TabularMlp), "batch, features", hidden.weight!.dtype, InputFeatures);
        using var scope = NewDisposeScope();
        var h = relu.forward(hidden.forward(input));
        if (dropout is not null)
            h = dropout.forward(h);
        return logits.forward(h).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hidden.Dispose();
            relu.Dispose();
            dropout?.Dispose();
            logits.Dispose();
        }
        base.Dispose(disposing);
    }
}
