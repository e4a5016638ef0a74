using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Classification;

/// <summary>Which nonlinearity and pooling <see cref="LeNet5"/> uses (neither changes the parameter count).</summary>
public enum LeNetStyle
{
    /// <summary>Sigmoid after every hidden layer and 2×2 average pooling, as in d2l.ai's LeNet (close to LeCun et al. 1998, whose squashing function was a scaled tanh and whose subsampling had trainable coefficients).</summary>
    Classic,

    /// <summary>ReLU and 2×2 max pooling, as most networks since 2012 use.</summary>
    Modern,
}

/// <summary>
/// LeNet-5 (LeCun, Bottou, Bengio and Haffner, 1998) in the form of d2l.ai's "Convolutional Neural Networks (LeNet)",
/// returning LOGITS:
/// <code>
/// conv 5×5 C→6 (pad 2) → sigmoid → avg-pool 2×2      28×28 → 28×28 → 14×14
/// conv 5×5 6→16        → sigmoid → avg-pool 2×2      14×14 → 10×10 → 5×5
/// flatten (16·5·5 = 400) → Linear 120 → sigmoid → Linear 84 → sigmoid → Linear classes
/// </code>
/// (<see cref="LeNetStyle.Modern"/> puts ReLU and max pooling in place of sigmoid and average pooling.)
/// </summary>
/// <remarks>
/// <para>The layers sit in one <c>nn.Sequential</c> named <c>net</c>, as in d2l's PyTorch class, so the state-dict names
/// are PyTorch's: <c>net.0</c> (conv), <c>net.3</c> (conv), <c>net.7</c>, <c>net.9</c>, <c>net.11</c> (linear), each with
/// <c>.weight</c> and <c>.bias</c>; the activations, poolings and the flatten (indices 1, 2, 4, 5, 6, 8, 10) hold no
/// parameters.</para>
/// <para>Parameters for C input channels, an H×W image and K classes: (25·C·6 + 6) + (25·6·16 + 16)
/// + (16·h·w·120 + 120) + (120·84 + 84) + (84·K + K), where h = ⌊(⌊H/2⌋ − 4)/2⌋ and w likewise. For 1×28×28 and
/// 10 classes: 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706.</para>
/// </remarks>
public sealed class LeNet5 : nn.Module<Tensor, Tensor>
{
    private readonly Sequential net;

    /// <summary>
    /// Creates the network, initialised as d2l.ai's LeNet: Xavier-uniform weights (Glorot and Bengio, 2010) in every
    /// convolution and linear layer, PyTorch's default biases; drawn from torch's default generator, so
    /// <c>torch.random.manual_seed</c> before the call makes them repeatable.
    /// </summary>
    /// <param name="inputChannels">Image channels: 1 (grey) or 3 (RGB); any positive number works.</param>
    /// <param name="height">Image height in pixels, at least 12 (the second convolution needs a 6×6 map after the first pooling).</param>
    /// <param name="width">Image width in pixels, at least 12.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="style">Sigmoid and average pooling (d2l's LeNet, the default) or ReLU and max pooling.</param>
    public LeNet5(int inputChannels = 1, int height = 28, int width = 28, int classes = 10, LeNetStyle style = LeNetStyle.Classic) : base(nameof(LeNet5))
    {
        ModelInput.Positive(inputChannels, nameof(inputChannels));
        ModelInput.Positive(classes, nameof(classes));
        if (height < 12)
            throw new ArgumentOutOfRangeException(nameof(height), height, "The image must be at least 12 pixels high: after the first 2×2 pooling the 5×5 convolution needs at least 6 rows.");
        if (width < 12)
            throw new ArgumentOutOfRangeException(nameof(width), width, "The image must be at least 12 pixels wide: after the first 2×2 pooling the 5×5 convolution needs at least 6 columns.");
        if (!Enum.IsDefined(style))
            throw new ArgumentOutOfRangeException(nameof(style), style, "Choose LeNetStyle.Classic or LeNetStyle.Modern.");
        TorchRuntime.EnsureLoaded();
        InputChannels = inputChannels;
        Height = height;
        Width = width;
        Classes = classes;
        Style = style;
        FeatureHeight = (height / 2 - 4) / 2;
        FeatureWidth = (width / 2 - 4) / 2;

        nn.Module<Tensor, Tensor> Activation() => style == LeNetStyle.Classic ? nn.Sigmoid() : nn.ReLU();
        nn.Module<Tensor, Tensor> Pool() => style == LeNetStyle.Classic ? nn.AvgPool2d(2, 2) : nn.MaxPool2d(2, 2);
        net = nn.Sequential(
            nn.Conv2d(inputChannels, 6, 5, padding: 2), Activation(), Pool(),
            nn.Conv2d(6, 16, 5), Activation(), Pool(),
            nn.Flatten(),
            nn.Linear(16L * FeatureHeight * FeatureWidth, 120), Activation(),
            nn.Linear(120, 84), Activation(),
            nn.Linear(84, classes));
        RegisterComponents();

        // d2l's init_cnn: Xavier-uniform weights for every convolution and linear layer (biases keep PyTorch's default).
        // With sigmoids, PyTorch's default (smaller) weights leave the network on a long plateau near chance.
        using (no_grad())
        {
            foreach (var module in net.modules())
            {
                if (module is Conv2d conv)
                    nn.init.xavier_uniform_(conv.weight!);
                else if (module is Linear linear)
                    nn.init.xavier_uniform_(linear.weight!);
            }
        }
    }

    /// <summary>Image channels the model takes.</summary>
    public int InputChannels { get; }

    /// <summary>Image height the model was built for.</summary>
    public int Height { get; }

    /// <summary>Image width the model was built for.</summary>
    public int Width { get; }

    /// <summary>Number of classes (logits per sample).</summary>
    public int Classes { get; }

    /// <summary>Sigmoid and average pooling, or ReLU and max pooling.</summary>
    public LeNetStyle Style { get; }

    /// <summary>Height of the 16 feature maps the classifier flattens (5 for 28×28 images).</summary>
    public int FeatureHeight { get; }

    /// <summary>Width of the 16 feature maps the classifier flattens (5 for 28×28 images).</summary>
    public int FeatureWidth { get; }

    /// <summary>
    /// The convolutional part alone (layers <c>net.0</c> to <c>net.5</c>): images [batch, C, H, W] →
    /// feature maps [batch, 16, <see cref="FeatureHeight"/>, <see cref="FeatureWidth"/>] — what the classifier sees.
    /// </summary>
    /// <param name="input">The images, as for <see cref="forward"/>.</param>
    /// <exception cref="ArgumentException">The input has another shape or element type (checked before any native call).</exception>
    public Tensor Features(Tensor input)
    {
        Validate(input);
        using var scope = NewDisposeScope();
        var x = input;
        for (var i = 0; i < 6; i++)
            x = net[i].call(x);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Logits [batch, classes] for images [batch, <see cref="InputChannels"/>, <see cref="Height"/>, <see cref="Width"/>].</summary>
    /// <param name="input">The images, in the parameters' element type (float32 unless converted).</param>
    /// <exception cref="ArgumentException">The input has another shape or element type (checked before any native call).</exception>
    public override Tensor forward(Tensor input)
    {
        Validate(input);
        return net.forward(input);
    }

    private void Validate(Tensor input) =>
        ModelInput.Require(input, nameof(LeNet5), "batch, channels, height, width", ((Conv2d)net[0]).weight!, InputChannels, Height, Width);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            net.Dispose();
        base.Dispose(disposing);
    }
}
