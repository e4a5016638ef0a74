using System.Text.Json.Serialization;

namespace Studying.DeepLearning.Training;

/// <summary>
/// Why and where a run was stopped because its loss blew up (NaN, infinite, or far above where it started) — the one
/// record every loop of the course uses, from chapter 1's hand-written descent to the <see cref="Trainer"/>.
/// </summary>
/// <param name="Step">
/// The update at which the loss blew up: counted from the start of the run, or, when <see cref="Epoch"/> is set
/// (mini-batch training), the batch of that epoch, from 1.
/// </param>
/// <param name="Loss">The loss there (possibly infinite or NaN; serialised as its text, since JSON has no NaN).</param>
/// <param name="Reason">A sentence a learner can read: where, which value, what to change.</param>
public sealed record Divergence(
    int Step,
    [property: JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double Loss,
    string Reason)
{
    /// <summary>The epoch (from 1) for mini-batch training; <see langword="null"/> for loops counted in updates only.</summary>
    public int? Epoch { get; init; }

    /// <summary>Whether it happened while evaluating the validation source rather than on a training step.</summary>
    public bool DuringValidation { get; init; }

    /// <summary>A divergence the <see cref="Trainer"/> found on batch <paramref name="batch"/> of epoch <paramref name="epoch"/>.</summary>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="batch">The batch of that epoch, from 1.</param>
    /// <param name="loss">The non-finite loss.</param>
    /// <param name="duringValidation">Whether it happened on the validation source.</param>
    internal static Divergence InEpoch(int epoch, int batch, double loss, bool duringValidation) =>
        new(batch, loss, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Diverged in epoch {epoch}, {(duringValidation ? "validation" : "training")} batch {batch}: the loss is {loss}. ")
            + (duringValidation ? "The weights became non-finite." : "That step was not taken."))
        {
            Epoch = epoch,
            DuringValidation = duringValidation,
        };

    /// <summary>A non-finite gradient norm the <see cref="Trainer"/> found (with gradient clipping on) on batch <paramref name="batch"/> of epoch <paramref name="epoch"/>.</summary>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="batch">The batch of that epoch, from 1.</param>
    /// <param name="norm">The non-finite total gradient norm.</param>
    internal static Divergence InGradient(int epoch, int batch, double norm) =>
        new(batch, norm, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Diverged in epoch {epoch}, training batch {batch}: the gradients' total norm is {norm} although the loss is finite. That step was not taken."))
        {
            Epoch = epoch,
        };
}
