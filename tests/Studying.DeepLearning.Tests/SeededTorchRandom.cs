namespace Studying.DeepLearning.Tests;

/// <summary>
/// Tests that compare two runs from the same seed (weights, shuffles, dropout): torch's default random generator is
/// one per process, so a test class running in parallel that draws from it between a seed and its use would make
/// two equal runs differ. These classes run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SeededTorchRandom
{
    /// <summary>The collection's name, for <see cref="CollectionAttribute"/>.</summary>
    public const string Name = "Seeded torch random generator";
}
