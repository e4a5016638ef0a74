using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.ResNet;

/// <summary>
/// A small GoogLeNet for 28×28 images (Fashion-MNIST, MNIST), returning LOGITS — GoogLeNet's inception 3a, 3b and 4a at
/// a quarter of their widths, after a one-convolution stem:
/// <code>
/// stem: conv 3×3 C→48, stride 2 (pad 1), batch norm, ReLU            14×14
/// inception3a: 48 → 16 + 32 + 8 + 8 = 64     (reduce 24 / 4)         14×14
/// inception3b: 64 → 32 + 48 + 24 + 16 = 120  (reduce 32 / 8)         14×14
/// max-pool 2×2                                                        7×7
/// inception4a: 120 → 48 + 52 + 12 + 16 = 128 (reduce 24 / 4)          7×7
/// global average pool → Linear(128, classes)
/// </code>
/// (GoogLeNet's 3a, 3b, 4a are (192; 64, 96, 128, 16, 32, 32), (256; 128, 128, 192, 32, 96, 64) and
/// (480; 192, 96, 208, 16, 48, 64); each count here is a quarter of those.) Every convolution is followed by batch norm
/// and ReLU, as in <see cref="InceptionModule"/>; the network ends in the classifier's logits — no softmax, because
/// cross-entropy applies log-softmax itself. Like GoogLeNet's stem (224 → 56 before the first module), ours downsamples
/// before the first module, with a stride-2 convolution: on a CPU, full-resolution maps (a 28×28 convolution, its batch
/// norm and a max-pool over 48 channels) would cost more time than all three modules' convolutions.
/// </summary>
/// <remarks>
/// <para>Parameters for C input channels and K classes: 9·48·C + 2·48 (stem) + 10,392 (3a) + 24,576 (3b) + 23,784 (4a)
/// + 128·K + K (classifier). For 1 channel and 10 classes: <b>60,570</b>; for 3 channels and 10 classes: 61,434.</para>
/// <para>7,991,024 multiply-adds per 1×28×28 image (a quarter of the module widths makes the convolutions about
/// sixteen times cheaper than GoogLeNet's), so a few epochs train on a CPU. Any H, W ≥ 3 work (the stride-2 stem gives
/// ⌈H/2⌉, the 2×2 max-pool halves that, rounding down).</para>
/// </remarks>
public sealed class InceptionNet : nn.Module<Tensor, Tensor>, IImageNetwork
{
    /// <summary>The name <see cref="ResNetModels.Create"/> and <c>studydl train --model</c> take: "inception".</summary>
    public const string ModelName = "inception";

    private const int StemChannels = 48;

    private readonly Sequential stem;
    private readonly InceptionModule inception3a;
    private readonly InceptionModule inception3b;
    private readonly MaxPool2d pool2;
    private readonly InceptionModule inception4a;
    private readonly Linear fc;

    /// <summary>Creates the network (convolutions He-initialised, batch norms at weight 1 and bias 0, the classifier at TorchSharp's default).</summary>
    /// <param name="inputChannels">Image channels (1 for Fashion-MNIST).</param>
    /// <param name="classes">Number of classes (logits per image).</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel or class count below 1.</exception>
    public InceptionNet(int inputChannels = 1, int classes = 10) : base(nameof(InceptionNet))
    {
        ResNetLayers.Positive(inputChannels, nameof(inputChannels));
        ResNetLayers.Positive(classes, nameof(classes));
        TorchRuntime.EnsureLoaded();
        InputChannels = inputChannels;
        Classes = classes;

        stem = nn.Sequential(("conv", ResNetLayers.Conv3x3(inputChannels, StemChannels, stride: 2)), ("bn", nn.BatchNorm2d(StemChannels)), ("relu", nn.ReLU()));
        inception3a = new InceptionModule(StemChannels, 16, 24, 32, 4, 8, 8);
        inception3b = new InceptionModule(inception3a.OutChannels, 32, 32, 48, 8, 24, 16);
        pool2 = nn.MaxPool2d(2);
        inception4a = new InceptionModule(inception3b.OutChannels, 48, 24, 52, 4, 12, 16);
        fc = nn.Linear(inception4a.OutChannels, classes);
        RegisterComponents();
    }

    /// <summary>Image channels the network takes.</summary>
    public int InputChannels { get; }

    /// <summary>Number of classes (logits per image).</summary>
    public int Classes { get; }

    /// <summary>"InceptionNet".</summary>
    public string Name => nameof(InceptionNet);

    /// <summary>8 weighted layers on the longest path: the stem convolution, two (reduce, then 3×3 or 5×5) per module, and the classifier.</summary>
    public int Depth => 8;

    /// <summary>3: the smallest height and width accepted (the stride-2 stem gives 2×2, the max-pool 1×1).</summary>
    public int MinimumImageSize => 3;

    /// <summary>28, the Fashion-MNIST image size.</summary>
    public int NaturalImageSize => 28;

    /// <summary>The three Inception modules, in order (3a, 3b, 4a).</summary>
    public IReadOnlyList<InceptionModule> InceptionModules => [inception3a, inception3b, inception4a];

    /// <summary>Logits [batch, <see cref="Classes"/>] for images [batch, <see cref="InputChannels"/>, H, W] with H, W ≥ <see cref="MinimumImageSize"/>.</summary>
    /// <param name="input">The images, in the parameters' element type (float32 unless converted).</param>
    /// <exception cref="ArgumentException">The input has another layout, channel count or element type, or is too small (checked before any native call).</exception>
    public override Tensor forward(Tensor input)
    {
        RequireInput(input);
        using var scope = NewDisposeScope();
        var maps = inception4a.call(pool2.call(inception3b.call(inception3a.call(stem.call(input)))));
        return fc.call(maps.mean([2, 3])).MoveToOuterDisposeScope();
    }

    /// <summary>The maps after the stem and after each Inception module (3a, 3b, 4a). The caller owns the returned tensors.</summary>
    /// <param name="input">The images, checked as <see cref="forward"/> checks them.</param>
    /// <exception cref="ArgumentException">The input has another layout, channel count or element type, or is too small.</exception>
    public IReadOnlyList<Tensor> FeatureMaps(Tensor input)
    {
        RequireInput(input);
        using var scope = NewDisposeScope();
        var stemMap = stem.call(input);
        var a = inception3a.call(stemMap);
        var b = inception3b.call(a);
        var c = inception4a.call(pool2.call(b));
        Tensor[] maps = [stemMap, a, b, c];
        foreach (var map in maps)
            map.MoveToOuterDisposeScope();
        return maps;
    }

    private void RequireInput(Tensor input) =>
        ResNetLayers.RequireImages(input, Name, InputChannels, MinimumImageSize, fc.weight!,
            $"the network halves the image twice (a stride-2 stem, then a 2×2 max-pool), so it needs at least {MinimumImageSize}×{MinimumImageSize} pixels.");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            stem.Dispose();
            inception3a.Dispose();
            inception3b.Dispose();
            pool2.Dispose();
            inception4a.Dispose();
            fc.Dispose();
        }
        base.Dispose(disposing);
    }
}
