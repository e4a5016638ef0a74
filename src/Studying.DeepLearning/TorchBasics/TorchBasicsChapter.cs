using System.Text.Json.Serialization;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.TorchBasics;

/// <summary>Everything chapter 2 computes, as plain data; <see cref="Figures"/> holds its charts.</summary>
/// <param name="Autograd">Notebooks 2-2 to 2-4: gradient checks, manual autograd training, modules, hand backprop.</param>
/// <param name="Losses">Notebook 2-5: every loss against its closed form, and the extreme-logit table.</param>
/// <param name="Optimizers">Notebook 2-5: the optimiser race, schedules and the from-scratch checks.</param>
/// <remarks>Notebook 2-6's measurements (loaders, memory) are benchmarks and live in the Studying.DeepLearning.Benchmarks project.</remarks>
public sealed record TorchBasicsReport(AutogradReport Autograd, LossGalleryReport Losses, OptimizerRaceReport Optimizers)
{
    /// <summary>The chapter's charts by file-friendly name.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, Figure> Figures { get; init; } = new Dictionary<string, Figure>();
}

/// <summary>Runs chapter 2 end to end, as the CLI's <c>basics</c> command does (about 10 s on 2 cores; the CLI adds notebook 2-6's loader and memory measurements).</summary>
public static class TorchBasicsChapter
{
    /// <summary>Runs every section and gathers their charts.</summary>
    /// <param name="progress">Receives a line per finished part, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between and inside the sections.</param>
    public static TorchBasicsReport Run(IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var autograd = AutogradLesson.Run(progress, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var losses = LossFunctionGallery.Run();
        progress?.Report($"losses: {losses.Checks.Count} TorchSharp values checked against closed forms, largest difference {losses.Checks.Max(c => c.Difference):G2}");
        var optimizers = OptimizerRace.Run(progress, cancellationToken);

        var figures = new Dictionary<string, Figure>();
        foreach (var (name, figure) in autograd.Figures.Concat(losses.Figures).Concat(optimizers.Figures))
        {
            if (!figures.TryAdd(name, figure))
                throw new InvalidOperationException($"Two sections of chapter 2 both produce a chart named '{name}'.");
        }
        return new TorchBasicsReport(autograd, losses, optimizers) { Figures = figures };
    }
}
