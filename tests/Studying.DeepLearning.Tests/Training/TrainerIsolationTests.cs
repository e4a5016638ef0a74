using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.TorchBasics;
using Studying.DeepLearning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.Training;

/// <summary>
/// Two trainings in one process, and the global generator, do not interfere. This class joins the non-parallel
/// collection not for itself — the trainer never touches the global generator — but because it re-seeds and drains
/// torch's global generator on purpose, which would disturb the other classes that seed it to build models.
/// </summary>
[Collection(SeededTorchRandom.Name)]
[Trait("Tier", "unit")]
public sealed class TrainerIsolationTests
{
    public TrainerIsolationTests() => TorchRuntime.EnsureLoaded();

    private static GaussianBlobSource Blobs(int samples, int seed) => new(samples, 3, features: 4, separation: 4, batchSize: 16, seed);

    private static TrainerOptions Options(long seed) => new()
    {
        Epochs = 3, Optimizer = new OptimizerSpec(OptimizerKind.Momentum, 0.05), Seed = seed, RestoreBestWeights = false, Device = CPU,
    };

    // The library's MLP with dropout after both hidden layers; weights from a private generator.
    private static MultilayerPerceptron Mlp()
    {
        var model = new MultilayerPerceptron(4, [32, 16], 3, dropout: 0.4);
        PrivateInit.Reinitialize(model, 123);
        return model;
    }

    private static (TrainingResult Result, Dictionary<string, int[]> Weights) Train(long seed, Barrier? start = null)
    {
        using var model = Mlp();
        start?.SignalAndWait();
        var result = Trainer.Fit(model, Blobs(400, 1), Blobs(100, 2), Options(seed));
        return (result, Weights.Bits(model));
    }

    private static IEnumerable<EpochRecord> Timeless(TrainingResult r) => r.History.Epochs.Select(e => e with { Seconds = 0 });

    [Fact]
    public async Task TwoConcurrentRuns_WithAThreadHammeringTheGlobalGenerator_EqualTheSameRunsAlone()
    {
        var aloneA = Train(11);
        var aloneB = Train(12);
        // The seeds matter (dropout draws from the run's generator), so equality below is not trivial.
        Assert.NotEqual(aloneA.Weights["layers.linear1.weight"], aloneB.Weights["layers.linear1.weight"]);

        using var start = new Barrier(3);
        var done = 0;
        long draws = 0;
        // Dedicated threads (LongRunning), so the barrier's three parties never wait for the thread pool to grow.
        var hammer = Run(() =>
        {
            start.SignalAndWait();
            while (Volatile.Read(ref done) < 2)
            {
                using var scope = NewDisposeScope();
                torch.random.manual_seed(draws);
                torch.rand(64).sum().item<float>();
                draws++;
            }
            return 0;
        });
        var a = Run(() => { try { return Train(11, start); } finally { Interlocked.Increment(ref done); } });
        var b = Run(() => { try { return Train(12, start); } finally { Interlocked.Increment(ref done); } });
        await Task.WhenAll(a, b, hammer);
        var (resultA, weightsA) = await a;
        var (resultB, weightsB) = await b;

        Assert.True(draws > 10, $"the hammer drew only {draws} times while the runs trained");
        Weights.AssertEqual(aloneA.Weights, weightsA);
        Weights.AssertEqual(aloneB.Weights, weightsB);
        Assert.Equal(Timeless(aloneA.Result), Timeless(resultA));
        Assert.Equal(Timeless(aloneB.Result), Timeless(resultB));
    }

    private static Task<T> Run<T>(Func<T> work) => Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    [Fact]
    public void Training_NeitherSeedsNorDrawsFromTheGlobalGenerator()
    {
        using var model = Mlp();
        torch.random.manual_seed(2024);
        var expected = torch.rand(8).data<float>().ToArray();

        torch.random.manual_seed(2024);
        Trainer.Fit(model, Blobs(200, 1), Blobs(50, 2), Options(5));
        var after = torch.rand(8).data<float>().ToArray();

        Assert.Equal(expected, after);
    }

    [Fact]
    public void GeneratorDropout_OutsideARun_FollowsTheGlobalGenerator()
    {
        using var dropout = new GeneratorDropout(0.5);
        using var x = ones(1000);
        torch.random.manual_seed(9);
        var first = dropout.call(x).data<float>().ToArray();
        torch.random.manual_seed(9);
        var second = dropout.call(x).data<float>().ToArray();
        var third = dropout.call(x).data<float>().ToArray();

        Assert.Equal(first, second);
        Assert.NotEqual(second, third);
    }
}
