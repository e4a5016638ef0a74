using Studying.DeepLearning.Infrastructure;
namespace Studying.DeepLearning.Tests.Notebooks;

/// <summary>
/// Tests that start dotnet-interactive kernel processes: run one at a time (a kernel and its notebook can use a
/// whole core, and the machine may have two), while test classes outside this collection still run in parallel.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NotebookKernels
{
    /// <summary>The collection's name, for <see cref="CollectionAttribute"/>.</summary>
    public const string Name = "Notebook kernels";
}
