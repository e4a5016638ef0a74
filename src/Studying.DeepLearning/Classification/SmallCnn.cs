using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Classification;

/// <summary>
/// A small convolutional classifier for 1×28×28 (Fashion-MNIST) or 3×32×32 (CIFAR-10) images, with fewer than
/// 100,000 parameters, returning LOGITS:
/// <code>
/// conv 3×3 C→32 (pad 1, no bias) → BatchNorm2d → ReLU → max-pool 2×2     28×28 → 14×14
/// conv 3×3 32→64                 → BatchNorm2d → ReLU → max-pool 2×2     14×14 → 7×7
/// conv 3×3 64→64                 → BatchNorm2d → ReLU
/// flatten (64·7·7 = 3,136) → Dropout → Linear(3,136, classes)
/// </code>
/// </summary>
/// <remarks>
/// <para>Batch norm follows each convolution (which therefore has no bias: BN's shift replaces it), before the ReLU;
/// dropout sits only before the classifier, where the features are many and co-adapt — never after the logits, and
/// no softmax (cross-entropy applies log-softmax itself). Pooling early keeps the work small (about 5.6 million
/// multiply-adds per 28×28 image). The classifier sees the 7×7 layout (a flatten, not a global average), because
/// where a feature sits matters on centred clothing images.</para>
/// <para>Parameters for C input channels, an H×W image and K classes: 288·C + 18,432 + 36,864 (convolutions)
/// + 2·(32 + 64 + 64) = 320 (batch-norm weights and biases; running statistics are buffers)
/// + (64·⌊H/4⌋·⌊W/4⌋ + 1)·K (classifier). For 1×28×28 and 10 classes: 87,274; for 3×32×32 and 10 classes: 97,450.</para>
/// </remarks>
public sealed class SmallCnn : nn.Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Sequential head;

    /// <summary>The classifier's dropout probability when none is given.</summary>
    public const double DefaultDropout = 0.3;

    /// <summary>Creates the network (TorchSharp's default initialisation, seeded by <c>torch.random.manual_seed</c>).</summary>
    /// <param name="inputChannels">Image channels: 1 (grey) or 3 (RGB); any positive number works.</param>
    /// <param name="height">Image height in pixels, at least 4 (two 2×2 poolings).</param>
    /// <param name="width">Image width in pixels, at least 4.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="dropout">Dropout before the classifier, in [0, 1).</param>
    public SmallCnn(int inputChannels = 1, int height = 28, int width = 28, int classes = 10, double dropout = DefaultDropout) : base(nameof(SmallCnn))
    {
        ModelInput.Positive(inputChannels, nameof(inputChannels));
        ModelInput.Positive(classes, nameof(classes));
        if (height < 4)
            throw new ArgumentOutOfRangeException(nameof(height), height, "The image must be at least 4 pixels high: the network pools 2×2 twice.");
        if (width < 4)
            throw new ArgumentOutOfRangeException(nameof(width), width, "The image must be at least 4 pixels wide: the network pools 2×2 twice.");
        ModelInput.DropoutProbability(dropout, nameof(dropout));
        TorchRuntime.EnsureLoaded();
        InputChannels = inputChannels;
        Height = height;
        Width = width;
        Classes = classes;

        features = nn.Sequential(
            ("conv1", nn.Conv2d(inputChannels, 32, 3, padding: 1, bias: false)), ("norm1", nn.BatchNorm2d(32)), ("relu1", nn.ReLU()),
            ("pool1", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(32, 64, 3, padding: 1, bias: false)), ("norm2", nn.BatchNorm2d(64)), ("relu2", nn.ReLU()),
            ("pool2", nn.MaxPool2d(2)),
            ("conv3", nn.Conv2d(64, 64, 3, padding: 1, bias: false)), ("norm3", nn.BatchNorm2d(64)), ("relu3", nn.ReLU()));
        head = nn.Sequential(
            ("flatten", nn.Flatten()), ("dropout", new GeneratorDropout(dropout)),
            ("logits", nn.Linear(64L * (height / 4) * (width / 4), classes)));
        RegisterComponents();
    }

    /// <summary>Image channels the model takes.</summary>
    public int InputChannels { get; }

    /// <summary>Image height the model was built for.</summary>
    public int Height { get; }

    /// <summary>Image width the model was built for.</summary>
    public int Width { get; }

    /// <summary>Number of classes (logits per sample).</summary>
    public int Classes { get; }

    /// <summary>Logits [batch, classes] for images [batch, <see cref="InputChannels"/>, <see cref="Height"/>, <see cref="Width"/>].</summary>
    /// <param name="input">The images, in the parameters' element type (float32 unless converted).</param>
    /// <exception cref="ArgumentException">The input has another shape or element type (checked before any native call).</exception>
    public override Tensor forward(Tensor input)
    {
        ModelInput.Require(input, nameof(SmallCnn), "batch, channels, height, width",
            ((Conv2d)features[0]).weight!.dtype, InputChannels, Height, Width);
        using var scope = NewDisposeScope();
        return head.forward(features.forward(input)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            features.Dispose();
            head.Dispose();
        }
        base.Dispose(disposing);
    }
}
