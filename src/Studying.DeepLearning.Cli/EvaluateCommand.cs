using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Training;
using Studying.DeepLearning.ResNet;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Cli;

/// <summary>Options of <c>studydl evaluate</c>.</summary>
internal sealed class EvaluateSettings : CommandSettings
{
    [CommandOption("--model <NAME>")]
    [Description("The architecture the weights belong to: cnn, mlp, softmax, or a chapter-4 network (resnet20 … resnet110, plain20 … plain110, cifar-resnet18, resnet18 … resnet152, inception).")]
    public string Model { get; init; } = "";

    [CommandOption("--weights <FILE>")]
    [Description("The weights: TorchSharp's format (.dat), a PyTorch state dict (.pt/.pth) or .safetensors, told apart by content.")]
    public string Weights { get; init; } = "";

    [CommandOption("--dataset <NAME>")]
    [Description("fashion-mnist, mnist or cifar10. Default: fashion-mnist")]
    public string Dataset { get; init; } = "fashion-mnist";

    [CommandOption("--data <DIR>")]
    [Description("Folder holding the data set's files (searched before STUDYDL_DATA, the user cache and /usr/share/datasets).")]
    public string? Data { get; init; }

    [CommandOption("--test-limit <N>")]
    [Description("Evaluate only the first N test images (a quick run).")]
    public int? TestLimit { get; init; }

    [CommandOption("--json")]
    [Description("Print the result as one JSON object on stdout.")]
    public bool Json { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Model))
            return ValidationResult.Error("Give the architecture with --model NAME (e.g. --model resnet20).");
        if (string.IsNullOrWhiteSpace(Weights))
            return ValidationResult.Error("Give the weights file with --weights FILE.");
        if (!new[] { "fashion-mnist", "mnist", "cifar10" }.Contains(Dataset.ToLowerInvariant()))
            return ValidationResult.Error($"Unknown image data set '{Dataset}'. Choose fashion-mnist, mnist or cifar10.");
        return TestLimit is < 1 ? ValidationResult.Error("--test-limit must be at least 1.") : ValidationResult.Success();
    }
}

/// <summary>What <c>studydl evaluate</c> measured.</summary>
/// <param name="Model">The architecture name.</param>
/// <param name="Dataset">The data set name.</param>
/// <param name="Weights">The weights file (full path).</param>
/// <param name="Format">The file's format.</param>
/// <param name="TestImages">Test images evaluated.</param>
/// <param name="TestAccuracy">Fraction classified correctly.</param>
/// <param name="TestLoss">Mean cross-entropy.</param>
internal sealed record EvaluateReport(string Model, string Dataset, string Weights, string Format, long TestImages, double TestAccuracy, double TestLoss);

/// <summary>
/// <c>studydl evaluate</c>: a model's weights from a file (any <see cref="WeightsFormat"/>) evaluated on a data set's
/// official test split, normalised with the statistics of its whole official training split (what <c>studydl train</c>
/// uses up to its held-out validation images).
/// </summary>
internal sealed class EvaluateCommand : Command<EvaluateSettings>
{
    public override int Execute(CommandContext context, EvaluateSettings settings, CancellationToken cancellationToken)
    {
        var name = settings.Model.Trim().ToLowerInvariant();
        var chapter4 = ResNetModels.AllNames.Contains(name);
        if (!chapter4 && !ClassifierModels.Names.Contains(name))
            throw new ArgumentException($"Unknown model '{settings.Model}'. Choose one of: {string.Join(", ", ClassifierModels.Names.Concat(ResNetModels.AllNames))}.");
        var format = ModelWeights.FormatOf(settings.Weights); // also: a missing file fails before any data is loaded
        var sources = DataSetSources.Default(settings.Data);
        var log = ChapterOutput.Progress("evaluate");
        var splits = settings.Dataset.ToLowerInvariant() switch
        {
            "fashion-mnist" => IdxDataSet.FashionMnist.Load(sources, log, cancellationToken),
            "mnist" => IdxDataSet.Mnist.Load(sources, log, cancellationToken),
            _ => Cifar10Reader.Load(sources, log, cancellationToken),
        };
        var test = settings.TestLimit is int limit && limit < splits.Test.Count
            ? splits.Test.Subset([.. Enumerable.Range(0, limit)], "test subset")
            : splits.Test;
        using var model = chapter4
            ? ResNetModels.ForImages(name)(splits.Train)
            : ClassifierModels.Create(name, splits.Train.Channels, (splits.Train.Height, splits.Train.Width), splits.Train.ClassNames.Count);
        ModelWeights.Load(model, settings.Weights);
        var normalization = ImageNormalization.Compute(splits.Train);
        var source = new ImageBatchSource(test, new ImageBatchOptions(256, Shuffle: false, Normalization: normalization));
        var result = Trainer.Evaluate(model, source, cancellationToken: cancellationToken);

        var report = new EvaluateReport(name, splits.Test.Name, Path.GetFullPath(settings.Weights), format.ToString(), result.SampleCount, result.Accuracy, result.Loss);
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(report, ChapterOutput.Json));
            return 0;
        }
        var table = new Table().AddColumns("model", "weights", "format", "data set", "test images", "test accuracy", "test loss");
        table.AddRow(Markup.Escape(report.Model), Markup.Escape(report.Weights), report.Format, Markup.Escape(report.Dataset),
            report.TestImages.ToString("N0", CultureInfo.InvariantCulture), report.TestAccuracy.ToString("P2", CultureInfo.InvariantCulture),
            report.TestLoss.ToString("F4", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        return 0;
    }
}
