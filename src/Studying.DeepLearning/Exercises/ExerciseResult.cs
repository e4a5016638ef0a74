namespace Studying.DeepLearning.Exercises;

/// <summary>What a check made of the learner's answer.</summary>
public enum ExerciseVerdict
{
    /// <summary>No answer yet (null, NaN, or an empty string): nothing to judge.</summary>
    NotAnswered,

    /// <summary>The answer is right.</summary>
    Right,

    /// <summary>The answer is wrong; the message says why.</summary>
    Wrong,
}

/// <summary>
/// The outcome of an <see cref="Exercise"/> check: the verdict and one sentence for the learner (why an answer is wrong,
/// or what to do when there is none yet). Notebooks display it; a solution cell calls <see cref="EnsureRight"/>.
/// </summary>
/// <param name="Exercise">The exercise's name as the notebook gives it, e.g. "3-3 exercise 1".</param>
/// <param name="Verdict">Right, wrong, or not answered.</param>
/// <param name="Message">What the learner should read: the expected value or the reason the answer is wrong.</param>
public sealed record ExerciseResult(string Exercise, ExerciseVerdict Verdict, string Message)
{
    /// <summary>True when the verdict is <see cref="ExerciseVerdict.Right"/>.</summary>
    public bool IsRight => Verdict == ExerciseVerdict.Right;

    /// <summary>
    /// Returns this result when it is right, and throws otherwise — what a notebook's solution cell calls, so that the
    /// tests that run every notebook fail if a solution stops being right.
    /// </summary>
    /// <exception cref="ExerciseNotSolvedException">The verdict is not <see cref="ExerciseVerdict.Right"/>.</exception>
    public ExerciseResult EnsureRight() =>
        IsRight ? this : throw new ExerciseNotSolvedException(this);

    /// <summary>One line: a mark (✔ right, ✘ wrong, … not answered), the exercise and the message.</summary>
    public override string ToString() => $"{Mark} {Exercise}: {Message}";

    /// <summary>✔, ✘ or … for the verdict.</summary>
    public string Mark => Verdict switch
    {
        ExerciseVerdict.Right => "✔",
        ExerciseVerdict.Wrong => "✘",
        _ => "…",
    };
}

/// <summary>Thrown by <see cref="ExerciseResult.EnsureRight"/> when a solution is not right.</summary>
public sealed class ExerciseNotSolvedException : Exception
{
    /// <summary>Creates the exception for <paramref name="result"/>.</summary>
    /// <param name="result">The check's result.</param>
    public ExerciseNotSolvedException(ExerciseResult result)
        : base(result?.ToString())
    {
        Result = result;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public ExerciseNotSolvedException()
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">The message.</param>
    public ExerciseNotSolvedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ExerciseNotSolvedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The check's result, when there was one.</summary>
    public ExerciseResult? Result { get; }
}
