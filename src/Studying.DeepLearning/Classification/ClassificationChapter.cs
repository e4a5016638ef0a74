using System.Text.Json.Serialization;
using Studying.DeepLearning.Plotting;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Classification;

/// <summary>Everything the quick run of chapter 3 computes, as plain data; <see cref="Figures"/> holds its charts.</summary>
/// <param name="Lesson">Notebook 3-1: sigmoid, softmax, logistic regression and the small MLPs.</param>
/// <param name="Tables">Notebook 3-2: an MLP on each bundled table, evaluated on held-out test rows.</param>
/// <param name="Images">Notebook 3-4: softmax regression, MLP and CNN on a Fashion-MNIST subset, official test set.</param>
public sealed record ClassificationReport(LogisticRegressionReport Lesson, IReadOnlyList<ExperimentResult> Tables, IReadOnlyList<ExperimentResult> Images)
{
    /// <summary>The chapter's charts by file-friendly name (<c>sigmoid_plot</c> and <c>fashion-mnist-samples</c> are README pictures).</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, Figure> Figures { get; init; } = new Dictionary<string, Figure>();
}

/// <summary>
/// Runs chapter 3 quickly (about a minute on 2 cores): the 3-1 lesson, the tables, and short Fashion-MNIST runs on a
/// subset. Full-length training of one model is <see cref="ClassificationExperiment.Run"/> (<c>studydl train</c>).
/// </summary>
public static class ClassificationChapter
{
    /// <summary>Training images per model in the quick Fashion-MNIST runs.</summary>
    public const int QuickTrainImages = 6_000;

    /// <summary>Runs every part and gathers the charts.</summary>
    /// <param name="dataFolder">Where the Fashion-MNIST files are, or <see langword="null"/> for the usual search.</param>
    /// <param name="progress">Receives a line per finished part, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between and inside the parts.</param>
    public static ClassificationReport Run(string? dataFolder = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var lesson = LogisticRegressionLesson.Run(progress, cancellationToken);
        var figures = new Dictionary<string, Figure>(lesson.Figures);

        var tables = new List<ExperimentResult>();
        foreach (var name in new[] { "iris", "wine", "breast-cancer" })
        {
            var result = ClassificationExperiment.Run(new ExperimentOptions("mlp", name, Epochs: 60, BatchSize: 16, LearningRate: 1e-2, Seed: 1), cancellationToken: cancellationToken);
            tables.Add(result);
            progress?.Report($"3-2 {name}: MLP test accuracy {result.TestAccuracy:P1} on {result.Test.SampleCount} held-out rows");
        }
        figures["breast-cancer-confusion-matrix"] = tables[^1].Figures["confusion-matrix"];

        var images = new List<ExperimentResult>();
        foreach (var (model, epochs, rate) in new[] { ("softmax", 2, 1e-3), ("mlp", 2, 1e-3), ("cnn", 2, 2e-3) })
        {
            var result = ClassificationExperiment.Run(
                new ExperimentOptions(model, "fashion-mnist", epochs, 128, rate, Seed: 1) { TrainLimit = QuickTrainImages, DataFolder = dataFolder },
                log: progress, cancellationToken: cancellationToken);
            images.Add(result);
            figures[$"fashion-mnist-{model}-accuracy"] = result.Figures["accuracy"];
        }
        figures["fashion-mnist-samples"] = images[0].Figures["samples"];
        figures["fashion-mnist-cnn-confusion-matrix"] = images[^1].Figures["confusion-matrix"];
        return new ClassificationReport(lesson, tables, images) { Figures = figures };
    }
}
