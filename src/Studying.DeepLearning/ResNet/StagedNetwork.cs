using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Studying.DeepLearning.ResNet;

/// <summary>
/// What <see cref="ResNetModel"/> and <see cref="CifarResNet"/> share: a stem (convolution, batch norm, ReLU, an
/// optional max-pool), a sequence of stages, a global average pool and one linear classifier returning LOGITS, with
/// the input checked before any native call. A subclass builds its layers and hands them to <see cref="SetLayers"/>.
/// </summary>
/// <remarks>
/// The state-dict keys are the reference implementations': <c>conv1.*</c>, <c>bn1.*</c>, <c>layer1.0.conv1.weight</c>
/// … (stage I, block J counted from 0), and the classifier as <c>fc.*</c> (torchvision) or <c>linear.*</c>
/// (kuangliu/pytorch-cifar, akamaster/pytorch_resnet_cifar10), so their <c>torch.save(model.state_dict())</c> files
/// load as they are (<see cref="Training.ModelWeights"/>).
/// </remarks>
public abstract class StagedNetwork : nn.Module<Tensor, Tensor>, IResidualNetwork
{
    private Conv2d? conv1;
    private BatchNorm2d? bn1;
    private ReLU? relu;
    private MaxPool2d? maxpool;
    private Sequential[] layers = [];
    private Linear? classifier;

    /// <summary>Creates the module under a name; the subclass's constructor must call <see cref="SetLayers"/>.</summary>
    /// <param name="name">The module name.</param>
    protected StagedNetwork(string name) : base(name) { }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract int Depth { get; }

    /// <inheritdoc />
    public abstract int InputChannels { get; }

    /// <inheritdoc />
    public abstract int Classes { get; }

    /// <inheritdoc />
    public abstract int MinimumImageSize { get; }

    /// <inheritdoc />
    public abstract int NaturalImageSize { get; }

    /// <summary>Registers the network's layers (once, from the subclass's constructor) under the reference names.</summary>
    /// <param name="stemConv">The first convolution, registered as <c>conv1</c>.</param>
    /// <param name="stemNorm">Its batch norm, registered as <c>bn1</c> (a ReLU, <c>relu</c>, follows).</param>
    /// <param name="stemPool">The max-pool after the ReLU (<c>maxpool</c>), or null.</param>
    /// <param name="stages">The stages, each a <see cref="Sequential"/> of blocks named "0", "1", …, registered as <c>layer1</c>, <c>layer2</c>, ….</param>
    /// <param name="head">The linear layer after the global average pool.</param>
    /// <param name="headName">The classifier's name: "fc" (torchvision) or "linear" (the CIFAR references).</param>
    protected void SetLayers(Conv2d stemConv, BatchNorm2d stemNorm, MaxPool2d? stemPool, IReadOnlyList<Sequential> stages, Linear head, string headName)
    {
        ArgumentNullException.ThrowIfNull(stages);
        conv1 = stemConv;
        bn1 = stemNorm;
        relu = nn.ReLU();
        maxpool = stemPool;
        layers = [.. stages];
        classifier = head;
        register_module("conv1", stemConv);
        register_module("bn1", stemNorm);
        register_module("relu", relu);
        if (stemPool is not null)
            register_module("maxpool", stemPool);
        for (var i = 0; i < layers.Length; i++)
            register_module($"layer{i + 1}", layers[i]);
        register_module(headName, head);
    }

    /// <summary>Logits [batch, <see cref="Classes"/>] for images [batch, <see cref="InputChannels"/>, H, W] with H, W ≥ <see cref="MinimumImageSize"/>.</summary>
    /// <param name="input">The images, in the parameters' element type (float32 unless converted).</param>
    /// <exception cref="ArgumentException">The input has another layout, channel count or element type, or is too small (checked before any native call).</exception>
    public override Tensor forward(Tensor input)
    {
        RequireInput(input);
        using var scope = NewDisposeScope();
        var x = Stem(input);
        foreach (var layer in layers)
            x = layer.call(x);
        return classifier!.call(x.mean([2, 3])).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public IReadOnlyList<Tensor> FeatureMaps(Tensor input)
    {
        RequireInput(input);
        using var scope = NewDisposeScope();
        var maps = new List<Tensor> { Stem(input) };
        foreach (var layer in layers)
            maps.Add(layer.call(maps[^1]));
        foreach (var map in maps)
            map.MoveToOuterDisposeScope();
        return maps;
    }

    private Tensor Stem(Tensor input)
    {
        var x = relu!.call(bn1!.call(conv1!.call(input)));
        return maxpool is null ? x : maxpool.call(x);
    }

    private void RequireInput(Tensor input) =>
        ResNetLayers.RequireImages(input, Name, InputChannels, MinimumImageSize, classifier!.weight!.dtype,
            $"the network downsamples {MinimumImageSize}× before its last stage.");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1?.Dispose();
            bn1?.Dispose();
            relu?.Dispose();
            maxpool?.Dispose();
            foreach (var layer in layers)
                layer.Dispose();
            classifier?.Dispose();
        }
        base.Dispose(disposing);
    }
}
