using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Classification;

/// <summary>
/// A fully connected classifier: flatten, then for each hidden size Linear → (BatchNorm1d) → ReLU → (Dropout), then a
/// last Linear to the classes. It returns LOGITS — no ReLU on the last layer (the original course's 3-3 clipped its logits at
/// zero) and no softmax (cross-entropy applies log-softmax itself).
/// </summary>
/// <remarks>
/// Parameters: each Linear(a, b) has a·b + b; each BatchNorm1d(b) has 2b (its running mean and variance are buffers,
/// not parameters). 784-256-128-100-10 without batch norm: 200,960 + 32,896 + 12,900 + 1,010 = 247,766
/// (the Fashion-MNIST benchmark's MLP 256-128-100, 88.33 %).
/// </remarks>
public sealed class MultilayerPerceptron : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;
    private readonly Func<Tensor> firstWeight;

    /// <summary>The hidden sizes of the Fashion-MNIST benchmark's MLP (88.33 % test accuracy).</summary>
    public static IReadOnlyList<int> BenchmarkHiddenSizes { get; } = [256, 128, 100];

    /// <summary>Creates the network (TorchSharp's default initialisation, seeded by <c>torch.random.manual_seed</c>).</summary>
    /// <param name="inputFeatures">Values per sample after flattening.</param>
    /// <param name="hiddenSizes">Width of each hidden layer, in order; may be empty (then it is softmax regression).</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="dropout">Dropout probability after each hidden activation, in [0, 1); 0 for none.</param>
    /// <param name="batchNorm">Whether to put a BatchNorm1d between each hidden Linear and its ReLU.</param>
    public MultilayerPerceptron(int inputFeatures, IReadOnlyList<int> hiddenSizes, int classes, double dropout = 0, bool batchNorm = false)
        : base(nameof(MultilayerPerceptron))
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ModelInput.Positive(inputFeatures, nameof(inputFeatures));
        ModelInput.Positive(classes, nameof(classes));
        for (var i = 0; i < hiddenSizes.Count; i++)
            ModelInput.Positive(hiddenSizes[i], $"{nameof(hiddenSizes)}[{i}]");
        ModelInput.DropoutProbability(dropout, nameof(dropout));
        TorchRuntime.EnsureLoaded();
        InputFeatures = inputFeatures;
        HiddenSizes = hiddenSizes.ToArray();
        Classes = classes;
        BatchNorm = batchNorm;

        var modules = new List<(string, nn.Module<Tensor, Tensor>)> { ("flatten", nn.Flatten()) };
        var width = inputFeatures;
        for (var i = 0; i < hiddenSizes.Count; i++)
        {
            modules.Add(($"linear{i + 1}", nn.Linear(width, hiddenSizes[i])));
            if (batchNorm)
                modules.Add(($"norm{i + 1}", nn.BatchNorm1d(hiddenSizes[i])));
            modules.Add(($"relu{i + 1}", nn.ReLU()));
            if (dropout > 0)
                modules.Add(($"dropout{i + 1}", new GeneratorDropout(dropout)));
            width = hiddenSizes[i];
        }
        modules.Add(("logits", nn.Linear(width, classes)));
        var first = (Linear)modules[1].Item2;
        firstWeight = () => first.weight!;
        layers = nn.Sequential(modules);
        RegisterComponents();
    }

    /// <summary>Values per sample the model takes.</summary>
    public int InputFeatures { get; }

    /// <summary>The hidden layer widths.</summary>
    public IReadOnlyList<int> HiddenSizes { get; }

    /// <summary>Number of classes (logits per sample).</summary>
    public int Classes { get; }

    /// <summary>Whether the hidden layers have batch norm.</summary>
    public bool BatchNorm { get; }

    /// <summary>Logits [batch, classes] for input [batch, …] holding <see cref="InputFeatures"/> values per sample.</summary>
    /// <param name="input">Images [batch, C, H, W] or rows [batch, features].</param>
    /// <exception cref="ArgumentException">The input does not hold <see cref="InputFeatures"/> values per sample, or its element type is not the parameters'.</exception>
    public override Tensor forward(Tensor input)
    {
        ModelInput.RequireFlattenable(input, nameof(MultilayerPerceptron), firstWeight(), InputFeatures);
        if (BatchNorm && training && input.shape[0] < 2)
            throw new ArgumentException($"{nameof(MultilayerPerceptron)} with batch norm needs at least 2 samples per batch in training mode (got {input.shape[0]}): batch statistics of one sample are undefined. Call eval() to predict single samples, or drop the last incomplete batch.", nameof(input));
        return layers.forward(input);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            layers.Dispose();
        base.Dispose(disposing);
    }
}
