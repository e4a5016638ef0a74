using Studying.DeepLearning.ResNet;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Classification;

/// <summary>
/// A model's default training recipe: the settings <c>studydl train --model NAME</c> uses for every option the user
/// does not give, and what <see cref="ToOptions"/> builds. Each is the best recipe the project measured for that
/// model (README, "Chapter 3 results" and "Chapter 4 results", with the accuracies over three seeds it was not tuned on).
/// </summary>
/// <param name="Epochs">Training epochs.</param>
/// <param name="BatchSize">Samples per batch.</param>
/// <param name="LearningRate">The (peak) learning rate.</param>
/// <param name="Optimizer">The optimiser.</param>
/// <param name="WeightDecay">Weight decay (0 for none).</param>
/// <param name="Schedule">How the learning rate changes per epoch.</param>
/// <param name="Augment">Per-image random crop and horizontal flip.</param>
public sealed record TrainingRecipe(int Epochs, int BatchSize, double LearningRate, OptimizerKind Optimizer, double WeightDecay, ScheduleKind Schedule, bool Augment)
{
    /// <summary>Softmax regression: Adam 0.001, 10 epochs, cosine.</summary>
    public static TrainingRecipe Softmax { get; } = new(10, 128, 1e-3, OptimizerKind.Adam, 0, ScheduleKind.Cosine, false);

    /// <summary>The MLP 256-128-100 with dropout: Adam 0.001, 15 epochs, cosine.</summary>
    public static TrainingRecipe Mlp { get; } = new(15, 128, 1e-3, OptimizerKind.Adam, 0, ScheduleKind.Cosine, false);

    /// <summary>The small CNN: Adam 0.002, 10 epochs, cosine.</summary>
    public static TrainingRecipe Cnn { get; } = new(10, 128, 2e-3, OptimizerKind.Adam, 0, ScheduleKind.Cosine, false);

    /// <summary>
    /// Residual and plain networks (He et al.'s CIFAR recipe, shortened): SGD with momentum 0.9 at 0.1, weight decay
    /// 5e-4, cosine over 30 epochs, crop + flip.
    /// </summary>
    public static TrainingRecipe Residual { get; } = new(30, 128, 0.1, OptimizerKind.Momentum, 5e-4, ScheduleKind.Cosine, true);

    /// <summary>Any other model (e.g. the Inception net): Adam 0.001, 10 epochs, cosine.</summary>
    public static TrainingRecipe Default { get; } = new(10, 128, 1e-3, OptimizerKind.Adam, 0, ScheduleKind.Cosine, false);

    /// <summary>The recipe of a model by name (case-insensitive): its own where it has one, else <see cref="Default"/>.</summary>
    /// <param name="model">A model name as <c>studydl train --model</c> takes it.</param>
    public static TrainingRecipe For(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var name = model.Trim().ToLowerInvariant();
        return name switch
        {
            "softmax" => Softmax,
            "mlp" => Mlp,
            "cnn" => Cnn,
            _ when ResNetModels.Names.Contains(name) => Residual,
            _ => Default,
        };
    }

    /// <summary>Options for <see cref="ClassificationExperiment.Run"/> with this recipe.</summary>
    /// <param name="model">The model's name.</param>
    /// <param name="dataset">The data set's name.</param>
    /// <param name="seed">Seed of weights, splits, shuffling and augmentation.</param>
    public ExperimentOptions ToOptions(string model, string dataset, int seed) =>
        new(model, dataset, Epochs, BatchSize, LearningRate, seed)
        {
            Optimizer = Optimizer,
            WeightDecay = WeightDecay,
            Schedule = Schedule,
            Augment = Augment,
        };

    /// <summary>The recipe as the command-line options that spell it out, e.g. "--epochs 10 --lr 0.002 --optimizer adam --schedule cosine".</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"--epochs {Epochs} --batch-size {BatchSize} --optimizer {Optimizer.ToString().ToLowerInvariant()} --lr {LearningRate} --weight-decay {WeightDecay} --schedule {Schedule.ToString().ToLowerInvariant()}{(Augment ? " --augment" : "")}");
}
