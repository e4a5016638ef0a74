using System.Collections.ObjectModel;
using System.Text.Json.Serialization;
using Studying.DeepLearning.Plotting;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.ResNet;

/// <summary>One network of the chapter, measured.</summary>
/// <param name="Name">The name <see cref="ResNetModels.Create"/> takes ("resnet18", "plain56", …).</param>
/// <param name="DisplayName">The network's own name ("ResNet-18", "Plain-56", …).</param>
/// <param name="Depth">Weighted layers on the longest path.</param>
/// <param name="Parameters">Σ numel over the parameters, counted on the built model.</param>
/// <param name="ReferenceParameters">The published or independently counted number for this class count, where one is known.</param>
/// <param name="ImageSize">The height and width of the probe image the feature maps were measured on.</param>
/// <param name="FeatureMaps">Channels×height×width after the stem and after each stage, e.g. "64×56×56".</param>
public sealed record ResNetArchitectureRow(
    string Name, string DisplayName, int Depth, long Parameters, long? ReferenceParameters, int ImageSize, IReadOnlyList<string> FeatureMaps)
{
    /// <summary>Whether the count equals the reference (<see langword="null"/> when there is none).</summary>
    public bool? MatchesReference => ReferenceParameters is null ? null : ReferenceParameters == Parameters;
}

/// <summary>The chapter's architecture table as plain data; <see cref="Figures"/> holds its chart.</summary>
/// <param name="InputChannels">Image channels every network was built for.</param>
/// <param name="Classes">Classes every network was built for.</param>
/// <param name="Rows">One row per network, in the order asked for.</param>
public sealed record ResNetArchitectureReport(int InputChannels, int Classes, IReadOnlyList<ResNetArchitectureRow> Rows)
{
    /// <summary>"parameters": a bar chart of parameter counts (logarithmic axis).</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, Figure> Figures { get; init; } = new Dictionary<string, Figure>();
}

/// <summary>
/// Builds the chapter's networks one at a time and measures them: parameter counts against the reference numbers,
/// and the feature-map pyramid of one probe image at the size each network was designed for (224 or 32).
/// </summary>
public static class ResNetArchitectureSection
{
    private static readonly ReadOnlyDictionary<(string Name, int Classes), long> References = new(new Dictionary<(string, int), long>
    {
        [("resnet18", 1000)] = 11_689_512,
        [("resnet34", 1000)] = 21_797_672,
        [("resnet50", 1000)] = 25_557_032,
        [("resnet101", 1000)] = 44_549_160, // torchvision's model card; the tests check it against TorchSharp's TorchVision
        [("resnet152", 1000)] = 60_192_808,
        [("resnet18", 10)] = 11_181_642,
        [("cifar-resnet18", 10)] = 11_173_962,
        [("resnet20", 10)] = 269_722,
        [("resnet32", 10)] = 464_154,
        [("resnet44", 10)] = 658_586,
        [("resnet56", 10)] = 853_018,
        [("resnet110", 10)] = 1_727_962,
        [("plain20", 10)] = 269_722,
        [("plain32", 10)] = 464_154,
        [("plain44", 10)] = 658_586,
        [("plain56", 10)] = 853_018,
        [("plain110", 10)] = 1_727_962,
    });

    /// <summary>
    /// The reference parameter count of a network for 3 input channels, where one is known: torchvision's for
    /// ResNet-18/34/50/101/152 at 1000 classes and ResNet-18 at 10; kuangliu's CIFAR ResNet18 and He et al.'s CIFAR networks
    /// (and their plain twins) at 10.
    /// </summary>
    /// <param name="name">A name from <see cref="ResNetModels.Names"/>.</param>
    /// <param name="classes">The class count.</param>
    public static long? ReferenceParameters(string name, int classes)
    {
        ArgumentNullException.ThrowIfNull(name);
        return References.TryGetValue((name.Trim().ToLowerInvariant(), classes), out var count) ? count : null;
    }

    /// <summary>Builds each network, counts its parameters and passes one zero image through it in evaluation mode.</summary>
    /// <param name="names">Names from <see cref="ResNetModels.Names"/>; all of them when <see langword="null"/>.</param>
    /// <param name="inputChannels">Image channels (reference counts are only known for 3).</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="progress">Receives each network's row as soon as it is measured.</param>
    /// <param name="cancellationToken">Checked before each network.</param>
    /// <exception cref="ArgumentException">An unknown name (the message lists the valid ones) or an empty list.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static ResNetArchitectureReport Run(
        IReadOnlyList<string>? names = null, int inputChannels = 3, int classes = 10,
        IProgress<ResNetArchitectureRow>? progress = null, CancellationToken cancellationToken = default)
    {
        names ??= ResNetModels.Names;
        if (names.Count == 0)
            throw new ArgumentException($"No network was named; valid names are: {string.Join(", ", ResNetModels.Names)}.", nameof(names));
        foreach (var name in names)
        {
            if (name is null || !ResNetModels.Names.Contains(name.Trim().ToLowerInvariant()))
                throw new ArgumentException($"Unknown ResNet model '{name}'; valid names are: {string.Join(", ", ResNetModels.Names)}.", nameof(names));
        }
        ResNetLayers.Positive(inputChannels, nameof(inputChannels));
        ResNetLayers.Positive(classes, nameof(classes));
        TorchRuntime.EnsureLoaded();

        var rows = new List<ResNetArchitectureRow>();
        foreach (var raw in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = raw.Trim().ToLowerInvariant();
            using var model = ResNetModels.Create(name, inputChannels, classes);
            var network = (IResidualNetwork)model;
            model.eval();
            var size = network.NaturalImageSize;
            List<string> maps;
            using (no_grad())
            using (NewDisposeScope())
            using (var probe = zeros(1, inputChannels, size, size))
            {
                maps = [.. network.FeatureMaps(probe).Select(m => string.Join("×", m.shape.Skip(1)))];
            }
            var reference = inputChannels == 3 ? ReferenceParameters(name, classes) : null;
            var row = new ResNetArchitectureRow(name, network.Name, network.Depth, ResNetModels.CountParameters(model), reference, size, maps);
            rows.Add(row);
            progress?.Report(row);
        }

        var chart = new Figure($"Parameters of each network ({inputChannels} channels, {classes} classes)",
                new BarTrace("parameters", [.. rows.Select(r => r.DisplayName)], [.. rows.Select(r => (double)r.Parameters)]))
            .WithAxisTitles("network", "parameters") with { YAxis = new Axis("parameters", Logarithmic: true) };
        return new ResNetArchitectureReport(inputChannels, classes, rows)
        {
            Figures = new Dictionary<string, Figure> { ["parameters"] = chart },
        };
    }
}
