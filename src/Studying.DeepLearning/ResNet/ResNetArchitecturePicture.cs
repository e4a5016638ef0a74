using System.Text.Json.Serialization;
using Studying.DeepLearning.Plotting;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.ResNet;

/// <summary>One residual (or plain) block of a network, as read from the built model.</summary>
/// <param name="Stage">1-based stage number.</param>
/// <param name="Index">1-based position in its stage.</param>
/// <param name="Type">"BasicBlock", "Bottleneck" or "PlainBlock".</param>
/// <param name="InChannels">Channels entering the block.</param>
/// <param name="OutChannels">Channels leaving it.</param>
/// <param name="Stride">1, or 2 when it halves height and width.</param>
/// <param name="OutputSize">Height (= width) of its output for the probe image.</param>
/// <param name="Shortcut">"identity", "projection" (1×1 conv + BN), "zero-padding" or "none" (a plain block).</param>
/// <param name="MultiplyAdds">Σ multiply-adds of its layers for one image (from <see cref="ModelSummary"/>).</param>
public sealed record ResNetBlockInfo(int Stage, int Index, string Type, int InChannels, int OutChannels, int Stride, long OutputSize, string Shortcut, long MultiplyAdds);

/// <summary>The architecture picture of one network as data; <see cref="Figures"/> holds the chart.</summary>
/// <param name="Name">The network's display name.</param>
/// <param name="ImageSize">Height and width of the probe image.</param>
/// <param name="StemChannels">Channels after the stem.</param>
/// <param name="StemOutputSize">Height (= width) after the stem.</param>
/// <param name="Blocks">Every block in execution order.</param>
/// <param name="BlocksPerStage">Number of blocks in each stage, counted on the model.</param>
/// <param name="Parameters">Σ parameters (from the summary).</param>
/// <param name="MultiplyAdds">Σ multiply-adds for one image (from the summary).</param>
public sealed record ResNetArchitecturePicture(
    string Name, int ImageSize, long StemChannels, long StemOutputSize, IReadOnlyList<ResNetBlockInfo> Blocks,
    IReadOnlyList<int> BlocksPerStage, long Parameters, long MultiplyAdds)
{
    /// <summary>"architecture": one bar per block, coloured by stage, height = output channels, labelled with size, stride and shortcut.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, Figure> Figures { get; init; } = new Dictionary<string, Figure>();

    /// <summary>
    /// Reads a network's blocks from the built model and measures them on one zero image of its natural size:
    /// the stem's output from <see cref="IImageNetwork.FeatureMaps"/>, each block's shape and multiply-adds from
    /// <see cref="ModelSummary.Of"/>.
    /// </summary>
    /// <param name="name">A name from <see cref="ResNetModels.Names"/>, e.g. "resnet50".</param>
    /// <param name="inputChannels">Image channels.</param>
    /// <param name="classes">Number of classes.</param>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public static ResNetArchitecturePicture Run(string name = "resnet50", int inputChannels = 3, int classes = 1000)
    {
        TorchRuntime.EnsureLoaded();
        using var model = ResNetModels.Create(name, inputChannels, classes);
        return Of(model);
    }

    /// <summary>The picture of an already built network (see <see cref="Run"/>).</summary>
    /// <param name="model">A <see cref="ResNetModel"/> or <see cref="CifarResNet"/> (any <see cref="IResidualNetwork"/>).</param>
    /// <exception cref="ArgumentException">The model is not an <see cref="IResidualNetwork"/>.</exception>
    public static ResNetArchitecturePicture Of(nn.Module<Tensor, Tensor> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is not IResidualNetwork network)
            throw new ArgumentException($"{model.GetType().Name} is not one of the chapter's residual networks (IResidualNetwork).", nameof(model));
        TorchRuntime.EnsureLoaded();
        var size = network.NaturalImageSize;
        var summary = ModelSummary.Of(model, [network.InputChannels, size, size]);
        long[] stem;
        var wasTraining = model.training;
        model.eval();
        using (no_grad())
        using (NewDisposeScope())
        {
            stem = network.FeatureMaps(zeros(1, network.InputChannels, size, size))[0].shape;
        }
        if (wasTraining)
            model.train();

        var blocks = new List<ResNetBlockInfo>();
        var stageOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (path, module) in model.named_modules())
        {
            if (module is not (BasicBlock or Bottleneck or PlainBlock))
                continue;
            var parent = path.Contains('.', StringComparison.Ordinal) ? path[..path.LastIndexOf('.')] : "";
            if (!stageOf.TryGetValue(parent, out var stage))
                stageOf[parent] = stage = stageOf.Count + 1;
            var rows = summary.Rows.Where(r => r.Name.StartsWith(path + ".", StringComparison.Ordinal)).ToList();
            var (type, inC, outC, stride, shortcut) = module switch
            {
                BasicBlock b => ("BasicBlock", b.InChannels, b.OutChannels, b.Stride,
                    b.HasProjection ? "projection" : b.Stride == 1 && b.InChannels == b.OutChannels ? "identity" : "zero-padding"),
                Bottleneck b => ("Bottleneck", b.InChannels, b.OutChannels, b.Stride, b.HasProjection ? "projection" : "identity"),
                PlainBlock b => ("PlainBlock", b.InChannels, b.OutChannels, b.Stride, "none"),
                _ => throw new InvalidOperationException("unreachable"),
            };
            blocks.Add(new ResNetBlockInfo(stage, blocks.Count(x => x.Stage == stage) + 1, type, inC, outC, stride,
                rows[^1].OutputShape[^1], shortcut, rows.Sum(r => r.MultiplyAdds)));
        }
        var perStage = blocks.GroupBy(b => b.Stage).OrderBy(g => g.Key).Select(g => g.Count()).ToList();
        return new ResNetArchitecturePicture(network.Name, size, stem[1], stem[^1], blocks, perStage, summary.TotalParameters, summary.TotalMultiplyAdds)
        {
            Figures = new Dictionary<string, Figure> { ["architecture"] = Chart(network.Name, size, stem, blocks, summary) },
        };
    }

    private static Figure Chart(string name, int size, long[] stem, List<ResNetBlockInfo> blocks, ModelSummary summary)
    {
        static string Short(string shortcut) => shortcut switch { "projection" => "proj", "zero-padding" => "pad", "identity" => "id", _ => "—" };
        var traces = new List<Trace> { new BarTrace($"stem → {stem[1]}×{stem[^1]}²", [$"stem<br>{stem[^1]}²<br>/{size / stem[^1]}"], [stem[1]]) };
        foreach (var stage in blocks.GroupBy(b => b.Stage))
        {
            var first = stage.First();
            traces.Add(new BarTrace($"stage {stage.Key}: {stage.Count()} × {first.Type} → {first.OutChannels}×{first.OutputSize}²",
                [.. stage.Select(b => $"{b.Stage}.{b.Index}<br>{b.OutputSize}²<br>{(b.Stride == 1 ? "" : $"/{b.Stride} ")}{Short(b.Shortcut)}")],
                [.. stage.Select(b => (double)b.OutChannels)]));
        }
        var title = $"{name}: {blocks.Count} blocks, {summary.TotalParameters / 1e6:F1} M parameters, {summary.TotalMultiplyAdds / 1e9:F2} G multiply-adds at {size}×{size}";
        return new Figure(title, traces)
            .WithAxisTitles("block (stage.index, output size, stride, shortcut)", "output channels") with
        {
            YAxis = new Axis("output channels (log)", Logarithmic: true)
            {
                Ticks = [.. blocks.Select(b => (long)b.OutChannels).Append(stem[1]).Distinct().Order().Select(c => ((double)c, c.ToString(System.Globalization.CultureInfo.InvariantCulture)))],
            },
        };
    }
}
