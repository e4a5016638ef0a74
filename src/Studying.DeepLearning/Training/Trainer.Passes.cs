using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Data;

namespace Studying.DeepLearning.Training;

public static partial class Trainer
{
    /// <summary>Measures a model on a source in eval mode under <c>no_grad</c>: loss, accuracy and the confusion matrix.</summary>
    /// <param name="model">The classifier (logits [batch, classes]); its train/eval mode is restored afterwards.</param>
    /// <param name="source">The batches to evaluate (epoch 1 of the source).</param>
    /// <param name="loss">The loss on (logits, targets), or <see langword="null"/> for cross-entropy.</param>
    /// <param name="device">Where to evaluate (the model is moved there), or <see langword="null"/> for <see cref="ComputeDevice.Current"/>; pass the training run's <see cref="TrainerOptions.Device"/>.</param>
    /// <param name="cancellationToken">Stops between batches (throws <see cref="OperationCanceledException"/>).</param>
    /// <exception cref="ArgumentException">An empty source, or logits or targets that do not fit its classes.</exception>
    /// <exception cref="InvalidOperationException">The model gives a non-finite loss (its weights have diverged).</exception>
    public static EvaluationResult Evaluate(nn.Module<Tensor, Tensor> model, IBatchSource source, Func<Tensor, Tensor, Tensor>? loss = null, Device? device = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        var classNames = CheckSource(source, nameof(source), "evaluation");
        TorchRuntime.EnsureLoaded();
        var wasTraining = model.training;
        model.eval();
        try
        {
            var context = new PassContext(classNames, loss ?? CrossEntropy, cancellationToken) { Source = "evaluation", Device = device ?? ComputeDevice.Current };
            model.to(context.Device);
            var pass = EvaluationPass(model, source, 1, confusion: true, context, cancellationToken.ThrowIfCancellationRequested);
            if (pass.Divergence is { } d)
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The model's loss on evaluation batch {d.Step} is {d.Loss}: its weights have diverged."));
            return new EvaluationResult(classNames, pass.Samples, pass.Loss, pass.Accuracy, pass.Confusion!);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private sealed record PassContext(IReadOnlyList<string> ClassNames, Func<Tensor, Tensor, Tensor> Loss, CancellationToken Token)
    {
        public string Source { get; init; } = "training";

        /// <summary>Where the model lives; batches are moved here.</summary>
        public Device Device { get; init; } = CPU;
    }

    // The batch itself when it is already on the device (always on the CPU), otherwise a copy there (the original is disposed).
    private static LabeledBatch OnDevice(LabeledBatch batch, Device device)
    {
        if (ComputeDevice.Holds(device, batch.Inputs) && ComputeDevice.Holds(device, batch.Targets))
            return batch;
        using (batch)
            return new LabeledBatch(batch.Inputs.to(device), batch.Targets.to(device));
    }

    private sealed record Pass(double Loss, double Accuracy, int Batches, long Samples, Divergence? Divergence, int[,]? Confusion = null)
    {
        /// <summary>The first parameter group's learning rate at the epoch's last step (training passes only).</summary>
        public double? LastRate { get; init; }
    }

    private static Pass TrainEpoch(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, IBatchSource source, int epoch, TrainerOptions options,
        int? batchesPerEpoch, PassContext context, TrainerCallbacks? callbacks, List<EpochRecord> history, string? lastPath, System.Diagnostics.Stopwatch clock)
    {
        using var epochScope = NewDisposeScope();
        var correct = torch.tensor(0L, device: context.Device);
        var firstGroup = optimizer.ParamGroups.First();
        var scheduled = firstGroup.LearningRate;
        var parameters = options.MaxGradientNorm is null ? null : model.parameters().ToArray();
        double lossSum = 0;
        long samples = 0;
        var batch = 0;
        double? lastRate = null;
        foreach (var item in source.GetBatches(epoch, context.Token))
        {
            using var labeled = OnDevice(item, context.Device);
            batch++;
            callbacks?.OnBatchStart?.Invoke(new BatchStart(epoch, options.Epochs, batch, batchesPerEpoch, scheduled, optimizer));
            double value;
            double? norm = null;
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                var logits = model.call(labeled.Inputs);
                CheckBatch(logits, labeled, context, epoch, batch);
                var loss = ComputeLoss(logits, labeled, context, epoch, batch);
                value = ReadLoss(loss, context, batch);
                if (!double.IsFinite(value))
                    return new Pass(double.NaN, double.NaN, batch, samples, Divergence.InEpoch(epoch, batch, value, duringValidation: false));
                loss.backward();
                if (parameters is not null)
                {
                    norm = nn.utils.clip_grad_norm_(parameters, options.MaxGradientNorm!.Value);
                    if (!double.IsFinite(norm.Value))
                        return new Pass(double.NaN, double.NaN, batch, samples, Divergence.InGradient(epoch, batch, norm.Value));
                }
                lastRate = firstGroup.LearningRate;
                optimizer.step();
                lossSum += value * labeled.Count;
                samples += labeled.Count;
                using (no_grad())
                    correct.add_(logits.argmax(1).eq(labeled.Targets).sum());
            }
            callbacks?.OnBatchEnd?.Invoke(new BatchEnd(epoch, options.Epochs, batch, batchesPerEpoch, samples, source.SampleCount, value, lossSum / samples,
                () => correct.item<long>(), lastRate.Value, norm, clock.Elapsed));
            ThrowIfCancelled(history, lastPath, epoch, context.Token);
        }
        if (batch == 0)
            throw new ArgumentException($"The training source yielded no batches in epoch {epoch} although it reports {source.SampleCount} samples.", nameof(source));
        var accuracy = (double)correct.item<long>() / samples;
        return new Pass(lossSum / samples, accuracy, batch, samples, null) { LastRate = lastRate };
    }

    private static Pass EvaluationPass(nn.Module<Tensor, Tensor> model, IBatchSource source, int epoch, bool confusion, PassContext context, Action throwIfCancelled)
    {
        using var passScope = NewDisposeScope();
        using var noGrad = no_grad();
        var classes = context.ClassNames.Count;
        var correct = torch.tensor(0L, device: context.Device);
        var counts = confusion ? zeros(classes * classes, dtype: ScalarType.Int64, device: context.Device) : null;
        double lossSum = 0;
        long samples = 0;
        var batch = 0;
        foreach (var item in source.GetBatches(epoch, context.Token))
        {
            using var labeled = OnDevice(item, context.Device);
            batch++;
            using (NewDisposeScope())
            {
                var logits = model.call(labeled.Inputs);
                CheckBatch(logits, labeled, context, epoch, batch);
                var value = ReadLoss(ComputeLoss(logits, labeled, context, epoch, batch), context, batch);
                if (!double.IsFinite(value))
                    return new Pass(double.NaN, double.NaN, batch, samples, Divergence.InEpoch(epoch, batch, value, duringValidation: true));
                lossSum += value * labeled.Count;
                samples += labeled.Count;
                var predicted = logits.argmax(1);
                correct.add_(predicted.eq(labeled.Targets).sum());
                counts?.add_((labeled.Targets * classes + predicted).bincount(null, classes * classes));
            }
            throwIfCancelled();
        }
        if (batch == 0)
            throw new ArgumentException($"The {context.Source} source yielded no batches although it reports {source.SampleCount} samples.", nameof(source));
        int[,]? matrix = null;
        if (counts is not null)
        {
            var flat = counts.cpu().data<long>().ToArray();
            matrix = new int[classes, classes];
            for (var i = 0; i < flat.Length; i++)
                matrix[i / classes, i % classes] = checked((int)flat[i]);
        }
        return new Pass(lossSum / samples, (double)correct.item<long>() / samples, batch, samples, null, matrix);
    }

    /// <summary>
    /// The loss, with libtorch's own checks (a target outside 0 … classes − 1, which it reports as a catchable error)
    /// turned into an <see cref="ArgumentException"/> that says where; this costs nothing per step, unlike checking
    /// every batch's targets ourselves.
    /// </summary>
    private static Tensor ComputeLoss(Tensor logits, LabeledBatch batch, PassContext context, int epoch, int index)
    {
        try
        {
            return context.Loss(logits, batch.Targets);
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            var reason = e.Message.Split('\n', 2)[0];
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The loss on {context.Source} batch {index} of epoch {epoch} failed: {reason} Targets must be class indices from 0 to {context.ClassNames.Count - 1} ({string.Join(", ", context.ClassNames)})."), e);
        }
    }

    private static double ReadLoss(Tensor loss, PassContext context, int batch)
    {
        if (batch == 1 && loss.numel() != 1)
            throw new ArgumentException($"The loss function returned a tensor of shape [{string.Join(", ", loss.shape)}]; it must return the mean loss as a scalar.");
        return loss.dtype switch
        {
            ScalarType.Float32 => loss.item<float>(),
            ScalarType.Float64 => loss.item<double>(),
            _ => loss.ToDouble(),
        };
    }

    /// <summary>Checks the logits' shape before the loss sees them (metadata only, no tensor work): shape errors in native code can abort the process.</summary>
    private static void CheckBatch(Tensor logits, LabeledBatch batch, PassContext context, int epoch, int index)
    {
        var classes = context.ClassNames.Count;
        if (logits.dim() != 2 || logits.shape[0] != batch.Count || logits.shape[1] != classes)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The model's output for {context.Source} batch {index} of epoch {epoch} has shape [{string.Join(", ", logits.shape)}], but logits [{batch.Count}, {classes}] were expected: ")
                + $"one row per input and one column per class of the source ({string.Join(", ", context.ClassNames)}). Give the model's last layer {classes} outputs.");
        if (!logits.is_floating_point())
            throw new ArgumentException($"The model's output is {logits.dtype}; logits must be floating point.");
    }

    private static IReadOnlyList<string> CheckSources(IBatchSource train, IBatchSource? validation)
    {
        var names = CheckSource(train, nameof(train), "training");
        if (validation is not null)
        {
            var other = CheckSource(validation, nameof(validation), "validation");
            if (!names.SequenceEqual(other))
                throw new ArgumentException($"The validation source's classes ({string.Join(", ", other)}) differ from the training source's ({string.Join(", ", names)}).", nameof(validation));
        }
        return names;
    }

    private static IReadOnlyList<string> CheckSource(IBatchSource source, string paramName, string role)
    {
        if (source.SampleCount <= 0)
            throw new ArgumentException($"The {role} source is empty ({source.SampleCount} samples).", paramName);
        var names = source.ClassNames ?? throw new ArgumentException($"The {role} source has no class names.", paramName);
        if (names.Count < 2)
            throw new ArgumentException($"The {role} source names {names.Count} class{(names.Count == 1 ? "" : "es")}; classification needs at least two.", paramName);
        return [.. names];
    }

    private static void WriteCheckpoint(int epoch, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Could not write the checkpoint after epoch {epoch} ({e.Message}); the previous checkpoint files are unchanged.", e);
        }
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module model, Dictionary<string, Tensor>? previous)
    {
        if (previous is not null)
        {
            foreach (var tensor in previous.Values)
                tensor.Dispose();
        }
        using var noGrad = no_grad();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    /// <summary>Tracks the best value of the monitored metric and the epochs since (for the best checkpoint and early stopping).</summary>
    internal sealed class BestMonitor(MonitoredMetric metric, double minDelta)
    {
        public int? BestEpoch { get; private set; }

        public double? BestValue { get; private set; }

        public int SinceBest { get; private set; }

        /// <summary>Records an epoch's value; true if it improves on the best by more than the minimum delta.</summary>
        public bool Update(int epoch, double value)
        {
            var improved = BestValue is not { } best
                || (metric == MonitoredMetric.ValidationLoss ? value < best - minDelta : value > best + minDelta);
            if (improved)
            {
                BestEpoch = epoch;
                BestValue = value;
                SinceBest = 0;
            }
            else
            {
                SinceBest++;
            }
            return improved;
        }

        public void Restore(int? bestEpoch, double? bestValue, int sinceBest)
        {
            BestEpoch = bestEpoch;
            BestValue = bestValue;
            SinceBest = sinceBest;
        }
    }
}
