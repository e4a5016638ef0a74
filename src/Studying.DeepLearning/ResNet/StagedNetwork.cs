using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Studying.DeepLearning.ResNet;

/// <summary>
/// What <see cref="ResNetModel"/> and <see cref="CifarResNet"/> share: a stem, a sequence of stages, a global
/// average pool and one linear classifier returning LOGITS, with the input checked before any native call. A
/// subclass builds its layers and hands them to <see cref="SetLayers"/>; they appear in the state dictionary as
/// <c>stem.*</c>, <c>stages.*</c> and <c>fc.*</c>.
/// </summary>
public abstract class StagedNetwork : nn.Module<Tensor, Tensor>, IResidualNetwork
{
    private Sequential? stem;
    private Sequential? stages;
    private Linear? fc;

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

    /// <summary>Registers the network's layers (once, from the subclass's constructor).</summary>
    /// <param name="stemLayers">The layers before the first stage.</param>
    /// <param name="stageLayers">The stages, each a <see cref="Sequential"/> of blocks.</param>
    /// <param name="classifier">The linear layer after the global average pool.</param>
    protected void SetLayers(Sequential stemLayers, Sequential stageLayers, Linear classifier)
    {
        stem = stemLayers;
        stages = stageLayers;
        fc = classifier;
        register_module("stem", stemLayers);
        register_module("stages", stageLayers);
        register_module("fc", classifier);
    }

    /// <summary>Logits [batch, <see cref="Classes"/>] for images [batch, <see cref="InputChannels"/>, H, W] with H, W ≥ <see cref="MinimumImageSize"/>.</summary>
    /// <param name="input">The images, in the parameters' element type (float32 unless converted).</param>
    /// <exception cref="ArgumentException">The input has another layout, channel count or element type, or is too small (checked before any native call).</exception>
    public override Tensor forward(Tensor input)
    {
        RequireInput(input);
        using var scope = NewDisposeScope();
        var features = stages!.call(stem!.call(input)).mean([2, 3]);
        return fc!.call(features).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public IReadOnlyList<Tensor> FeatureMaps(Tensor input)
    {
        RequireInput(input);
        using var scope = NewDisposeScope();
        var maps = new List<Tensor> { stem!.call(input) };
        foreach (var stage in stages!.children().Cast<nn.Module<Tensor, Tensor>>())
            maps.Add(stage.call(maps[^1]));
        foreach (var map in maps)
            map.MoveToOuterDisposeScope();
        return maps;
    }

    private void RequireInput(Tensor input) =>
        ResNetLayers.RequireImages(input, Name, InputChannels, MinimumImageSize, fc!.weight!,
            $"the network downsamples {MinimumImageSize}× before its last stage.");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            stem?.Dispose();
            stages?.Dispose();
            fc?.Dispose();
        }
        base.Dispose(disposing);
    }
}
