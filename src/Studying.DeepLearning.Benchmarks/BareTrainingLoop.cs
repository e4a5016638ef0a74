using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Training;

namespace Studying.DeepLearning.Benchmarks;

/// <summary>
/// The hand-written training loop the trainer benchmarks (<see cref="TrainerBenchmark"/>, the ResNet step benchmark)
/// measure <see cref="Trainer.Fit"/> against, and the measuring helpers they share. The loop does what the trainer's
/// epoch record needs, the cheapest way: a dispose scope per step, zero_grad, forward, cross-entropy, reading the
/// loss, backward, step, correct predictions summed into a tensor read once at the end.
/// </summary>
internal static class BareTrainingLoop
{
    /// <summary>
    /// One training epoch (epoch 1 of the source), drawing its randomness as the trainer's first epoch does: from
    /// <see cref="Trainer.EpochGenerator"/>(seed, 1, device), made current with <see cref="TrainingRandom.Use"/>.
    /// </summary>
    /// <param name="model">The classifier; put in train mode.</param>
    /// <param name="optimizer">The optimiser over the model's parameters.</param>
    /// <param name="source">The batches.</param>
    /// <param name="seed">The trainer's <see cref="TrainerOptions.Seed"/>.</param>
    /// <param name="device">The trainer's <see cref="TrainerOptions.Device"/>, where the model lives.</param>
    /// <param name="afterStep">Called after each step (its scope closed) with the steps done, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The sum of loss × batch size, and the correct training predictions.</returns>
    public static (double LossSum, long Correct) TrainEpoch(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, IBatchSource source, long seed,
        Device device, Action<int>? afterStep = null, CancellationToken cancellationToken = default)
    {
        using var generator = Trainer.EpochGenerator(seed, 1, device);
        using var ambient = TrainingRandom.Use(generator);
        model.train();
        double total = 0;
        var steps = 0;
        using var correct = torch.tensor(0L, device: device);
        foreach (var item in source.GetBatches(1, cancellationToken))
        {
            using var batch = item;
            using (NewDisposeScope())
            {
                // On the CPU both are the batch's own tensors; on a GPU, copies there (as the trainer makes).
                var inputs = batch.Inputs.to(device);
                var targets = batch.Targets.to(device);
                optimizer.zero_grad();
                var logits = model.call(inputs);
                var loss = nn.functional.cross_entropy(logits, targets);
                total += loss.item<float>() * batch.Count;
                loss.backward();
                optimizer.step();
                using (no_grad())
                    correct.add_(logits.argmax(1).eq(targets).sum());
            }
            afterStep?.Invoke(++steps);
        }
        return (total, correct.item<long>());
    }

    /// <summary>Seconds <paramref name="run"/> takes, started from a collected heap so that it does not pay for earlier garbage.</summary>
    public static double Time(Action run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        run();
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The largest absolute difference between two models' state (parameters and buffers): 0 when bit-identical, ∞ when a non-float buffer differs.</summary>
    public static double MaxStateDifference(nn.Module a, nn.Module b)
    {
        using var scope = NewDisposeScope();
        var sa = a.state_dict();
        var sb = b.state_dict();
        var max = 0.0;
        foreach (var (key, ta) in sa)
        {
            var tb = sb[key];
            var difference = ta.is_floating_point()
                ? (ta - tb).abs().max().ToDouble()
                : ta.equal(tb).all().item<bool>() ? 0 : double.PositiveInfinity;
            max = Math.Max(max, double.IsNaN(difference) ? double.PositiveInfinity : difference);
        }
        return max;
    }

    /// <summary>Whether two models' state (parameters and buffers) is bit-identical.</summary>
    public static bool SameWeights(nn.Module a, nn.Module b)
    {
        using var scope = NewDisposeScope();
        var sa = a.state_dict();
        var sb = b.state_dict();
        return sa.Keys.All(k => sa[k].equal(sb[k]).all().item<bool>());
    }
}
