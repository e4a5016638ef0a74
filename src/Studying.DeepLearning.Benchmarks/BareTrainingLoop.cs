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
    /// <exception cref="ArgumentException">
    /// Logits that are not [batch, source classes] floating point, or (first batch) targets outside the classes —
    /// checked before the loss's native call.
    /// </exception>
    public static (double LossSum, long Correct) TrainEpoch(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, IBatchSource source, long seed,
        Device device, Action<int>? afterStep = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(source);
        var classes = source.ClassNames.Count;
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
                // Metadata every step (as the trainer checks), the targets' range on the first step only: the loop is timed.
                if (LogitsProblem(logits, targets, classes, steps + 1, checkTargetRange: steps == 0) is { } problem)
                    throw new ArgumentException(problem.Message, problem.InSource ? nameof(source) : nameof(model));
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

    /// <summary>
    /// What is wrong unless the logits are floating point [batch, classes] for targets [batch] and, with
    /// <paramref name="checkTargetRange"/>, every target is a class index (one reduction, read back); null when fine.
    /// </summary>
    private static (string Message, bool InSource)? LogitsProblem(Tensor logits, Tensor targets, int classes, int batch, bool checkTargetRange)
    {
        if (logits.dim() != 2 || logits.shape[0] != targets.shape[0] || logits.shape[1] != classes)
            return ($"The model's output for batch {batch} has shape [{string.Join(", ", logits.shape)}], but logits [{targets.shape[0]}, {classes}] were expected: one row per input and one column per class of the source.", false);
        if (!logits.is_floating_point())
            return ($"The model's output for batch {batch} is {logits.dtype}; logits must be floating point.", false);
        if (!checkTargetRange)
            return null;
        using var scope = NewDisposeScope();
        var (min, max) = (targets.min().item<long>(), targets.max().item<long>());
        return min < 0 || max >= classes
            ? ($"Batch {batch} holds class index {(min < 0 ? min : max)}, but the source has {classes} classes (0–{classes - 1}).", true)
            : null;
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
