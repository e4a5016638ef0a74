using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Exercises;

/// <summary>
/// Checks a learner's answer to a notebook exercise and says right, wrong and why, or that there is no answer yet.
/// An exercise cell starts with the answer unset (<see langword="null"/>), so the notebook runs top to bottom before the
/// learner has tried; the notebook's collapsed solution cell passes the solution through the same check and calls
/// <see cref="ExerciseResult.EnsureRight"/>, which the notebook tests run.
/// </summary>
/// <example>
/// <code>
/// double? answer = null; // your answer: the largest learning rate that still converges
/// Exercise.CheckNumber("1-1 exercise 2", answer, expected: 1 / (2 * m), tolerance: 1e-3)
/// </code>
/// </example>
public static class Exercise
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    private static ExerciseResult NotAnswered(string exercise) =>
        new(exercise, ExerciseVerdict.NotAnswered, "not answered yet — set your answer in this cell and run it again (the solution is in the collapsed cell below).");

    /// <summary>
    /// A number: right when |answer − expected| ≤ tolerance · max(1, |expected|) (relative for large values, absolute
    /// near zero).
    /// </summary>
    /// <param name="exercise">The exercise's name, e.g. "1-1 exercise 2".</param>
    /// <param name="answer">The learner's answer; <see langword="null"/> or NaN means not answered yet.</param>
    /// <param name="expected">The right value.</param>
    /// <param name="tolerance">Allowed error, relative to max(1, |expected|). Default 1e-6.</param>
    /// <param name="hint">Shown when the answer is wrong, e.g. which formula to use.</param>
    public static ExerciseResult CheckNumber(string exercise, double? answer, double expected, double tolerance = 1e-6, string? hint = null)
    {
        ValidateName(exercise);
        ValidateTolerance(tolerance);
        if (answer is not { } value || double.IsNaN(value))
            return NotAnswered(exercise);
        if (!double.IsFinite(value))
            return Wrong(exercise, $"{value.ToString(s_inv)} is not a finite number; the answer is finite.", hint);
        var allowed = tolerance * Math.Max(1.0, Math.Abs(expected));
        var error = Math.Abs(value - expected);
        if (error <= allowed)
            return new(exercise, ExerciseVerdict.Right, $"right — {Format(value)} (the answer is {Format(expected)}).");
        var direction = value > expected ? "too high" : "too low";
        return Wrong(exercise, $"{Format(value)} is {direction}: off by {Format(error)}, more than the {Format(allowed)} allowed.", hint);
    }

    /// <summary>A whole number (a count, a size, an index): right only when equal.</summary>
    /// <param name="exercise">The exercise's name.</param>
    /// <param name="answer">The learner's answer; <see langword="null"/> means not answered yet.</param>
    /// <param name="expected">The right value.</param>
    /// <param name="hint">Shown when the answer is wrong.</param>
    public static ExerciseResult CheckInteger(string exercise, long? answer, long expected, string? hint = null)
    {
        ValidateName(exercise);
        if (answer is not { } value)
            return NotAnswered(exercise);
        return value == expected
            ? new(exercise, ExerciseVerdict.Right, $"right — {value.ToString("N0", s_inv)}.")
            : Wrong(exercise, $"{value.ToString("N0", s_inv)} is {(value > expected ? "too large" : "too small")}.", hint);
    }

    /// <summary>A number that must fall in a range, e.g. an accuracy your model has to reach.</summary>
    /// <param name="exercise">The exercise's name.</param>
    /// <param name="answer">The learner's value; <see langword="null"/> or NaN means not answered yet.</param>
    /// <param name="minimum">The smallest right value (inclusive).</param>
    /// <param name="maximum">The largest right value (inclusive).</param>
    /// <param name="hint">Shown when the value is out of range.</param>
    public static ExerciseResult CheckBetween(string exercise, double? answer, double minimum, double maximum, string? hint = null)
    {
        ValidateName(exercise);
        if (double.IsNaN(minimum) || double.IsNaN(maximum) || minimum > maximum)
            throw new ArgumentException($"The range [{minimum.ToString(s_inv)}, {maximum.ToString(s_inv)}] is empty; minimum must be ≤ maximum.", nameof(minimum));
        if (answer is not { } value || double.IsNaN(value))
            return NotAnswered(exercise);
        var range = $"[{Format(minimum)}, {Format(maximum)}]";
        return value >= minimum && value <= maximum
            ? new(exercise, ExerciseVerdict.Right, $"right — {Format(value)} is in {range}.")
            : Wrong(exercise, $"{Format(value)} is {(value < minimum ? "below" : "above")} {range}.", hint);
    }

    /// <summary>One of several named options (case and surrounding spaces ignored).</summary>
    /// <param name="exercise">The exercise's name.</param>
    /// <param name="answer">The learner's choice; <see langword="null"/> or blank means not answered yet.</param>
    /// <param name="options">Every option the learner may name.</param>
    /// <param name="expected">The right option (one of <paramref name="options"/>).</param>
    /// <param name="why">The reason, shown with the verdict either way.</param>
    public static ExerciseResult CheckChoice(string exercise, string? answer, IReadOnlyCollection<string> options, string expected, string why)
    {
        ValidateName(exercise);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(why);
        if (!options.Contains(expected, StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException($"The expected option '{expected}' is not one of the options: {string.Join(", ", options)}.", nameof(expected));
        if (string.IsNullOrWhiteSpace(answer))
            return NotAnswered(exercise);
        var chosen = answer.Trim();
        if (!options.Contains(chosen, StringComparer.OrdinalIgnoreCase))
            return Wrong(exercise, $"'{chosen}' is not one of the options: {string.Join(", ", options)}.", null);
        return string.Equals(chosen, expected, StringComparison.OrdinalIgnoreCase)
            ? new(exercise, ExerciseVerdict.Right, $"right — {expected}: {why}")
            : Wrong(exercise, $"not {chosen}: {why}", null);
    }

    /// <summary>A yes/no question.</summary>
    /// <param name="exercise">The exercise's name.</param>
    /// <param name="answer">The learner's answer; <see langword="null"/> means not answered yet.</param>
    /// <param name="expected">The right answer.</param>
    /// <param name="why">The reason, shown with the verdict either way.</param>
    public static ExerciseResult CheckTrue(string exercise, bool? answer, bool expected, string why)
    {
        ValidateName(exercise);
        ArgumentException.ThrowIfNullOrWhiteSpace(why);
        if (answer is not { } value)
            return NotAnswered(exercise);
        var word = expected ? "yes" : "no";
        return value == expected
            ? new(exercise, ExerciseVerdict.Right, $"right — {word}: {why}")
            : Wrong(exercise, $"the answer is {word}: {why}", null);
    }

    /// <summary>
    /// A tensor: right when it has the expected shape and every element is within
    /// <paramref name="tolerance"/> · max(1, |expected|) of the expected one. When it is wrong the message names the
    /// first thing that differs: shape, element type (with <paramref name="sameDtype"/>), non-finite values, or the
    /// largest difference and where it is.
    /// </summary>
    /// <param name="exercise">The exercise's name.</param>
    /// <param name="answer">The learner's tensor; <see langword="null"/> means not answered yet. Not disposed here.</param>
    /// <param name="expected">The right tensor. Not disposed here.</param>
    /// <param name="tolerance">Allowed error per element, relative to max(1, |expected|). Default 1e-5.</param>
    /// <param name="sameDtype">Also require the same element type (for lessons about dtypes).</param>
    /// <param name="hint">Shown when the answer is wrong.</param>
    public static ExerciseResult CheckTensor(string exercise, Tensor? answer, Tensor expected, double tolerance = 1e-5, bool sameDtype = false, string? hint = null)
    {
        ValidateName(exercise);
        ValidateTolerance(tolerance);
        ArgumentNullException.ThrowIfNull(expected);
        if (answer is null)
            return NotAnswered(exercise);
        if (answer.IsInvalid)
            return Wrong(exercise, "the tensor has been disposed; keep it alive (outside a dispose scope, or MoveToOuterDisposeScope) until it is checked.", hint);
        if (!answer.shape.SequenceEqual(expected.shape))
            return Wrong(exercise, $"shape [{string.Join(", ", answer.shape)}] is not the expected [{string.Join(", ", expected.shape)}].", hint);
        if (sameDtype && answer.dtype != expected.dtype)
            return Wrong(exercise, $"element type {answer.dtype} is not the expected {expected.dtype}.", hint);

        using var scope = NewDisposeScope();
        var a = answer.detach().to(CPU).to_type(ScalarType.Float64);
        var e = expected.detach().to(CPU).to_type(ScalarType.Float64);
        if (a.numel() == 0)
            return new(exercise, ExerciseVerdict.Right, "right — an empty tensor of the expected shape.");
        var finite = a.isfinite();
        if (!finite.all().item<bool>() && e.isfinite().all().item<bool>())
        {
            var bad = (finite.logical_not()).nonzero()[0];
            return Wrong(exercise, $"element {Index(bad)} is {a.flatten()[FlatIndex(bad, answer.shape)].item<double>().ToString(s_inv)}; the answer is finite everywhere.", hint);
        }

        var allowed = e.abs().clamp_min(1.0) * tolerance;
        var error = (a - e).abs();
        var excess = error - allowed;
        var worst = excess.flatten().argmax().item<long>();
        if (excess.flatten()[worst].item<double>() <= 0)
            return new(exercise, ExerciseVerdict.Right, $"right — every element within {Format(tolerance)} (largest difference {Format(error.max().item<double>())}).");
        var at = Unravel(worst, answer.shape);
        var yours = a.flatten()[worst].item<double>();
        var theirs = e.flatten()[worst].item<double>();
        return Wrong(exercise, $"element [{string.Join(", ", at)}] is {Format(yours)}, expected {Format(theirs)} (and {Count(excess)} element(s) in all are off by more than the tolerance).", hint);
    }

    private static string Count(Tensor excess) => (excess > 0).sum().item<long>().ToString("N0", s_inv);

    private static long[] Unravel(long flat, long[] shape)
    {
        var index = new long[shape.Length];
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }

        return index;
    }

    private static long FlatIndex(Tensor index, long[] shape)
    {
        long flat = 0;
        for (var d = 0; d < shape.Length; d++)
            flat = flat * shape[d] + index[d].item<long>();
        return flat;
    }

    private static string Index(Tensor index) =>
        "[" + string.Join(", ", Enumerable.Range(0, (int)index.shape[0]).Select(d => index[d].item<long>().ToString(s_inv))) + "]";

    private static ExerciseResult Wrong(string exercise, string reason, string? hint) =>
        new(exercise, ExerciseVerdict.Wrong, hint is null ? reason : $"{reason} Hint: {hint}");

    private static string Format(double value) => value.ToString("G6", s_inv);

    private static void ValidateName(string exercise) => ArgumentException.ThrowIfNullOrWhiteSpace(exercise);

    private static void ValidateTolerance(double tolerance)
    {
        if (!(tolerance >= 0) || double.IsInfinity(tolerance))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be a finite number ≥ 0.");
    }
}
