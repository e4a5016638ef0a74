using Studying.DeepLearning.Exercises;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.Exercises;

/// <summary>The exercise checks say right, wrong (and why) or not answered, and a solution cell fails when wrong.</summary>
[Trait("Tier", "unit")]
public sealed class ExerciseTests
{
    [Fact]
    public void CheckNumber_JudgesWithinRelativeTolerance()
    {
        Assert.Equal(ExerciseVerdict.NotAnswered, Exercise.CheckNumber("e", null, 2).Verdict);
        Assert.Equal(ExerciseVerdict.NotAnswered, Exercise.CheckNumber("e", double.NaN, 2).Verdict);
        Assert.True(Exercise.CheckNumber("e", 1000.0009, 1000, tolerance: 1e-6).IsRight);
        Assert.False(Exercise.CheckNumber("e", 1000.002, 1000, tolerance: 1e-6).IsRight);
        Assert.True(Exercise.CheckNumber("e", 1e-7, 0, tolerance: 1e-6).IsRight);

        var wrong = Exercise.CheckNumber("1-1 exercise 2", 0.2, 0.107, tolerance: 1e-3, hint: "use 1/(2m)");
        Assert.Equal(ExerciseVerdict.Wrong, wrong.Verdict);
        Assert.Equal("✘ 1-1 exercise 2: 0.2 is too high: off by 0.093, more than the 0.001 allowed. Hint: use 1/(2m)", wrong.ToString());
        Assert.Contains("not a finite number", Exercise.CheckNumber("e", double.PositiveInfinity, 1).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckInteger_BetweenChoiceTrue()
    {
        Assert.True(Exercise.CheckInteger("e", 26, 26).IsRight);
        Assert.Equal("✘ e: 27 is too large.", Exercise.CheckInteger("e", 27, 26).ToString());
        Assert.True(Exercise.CheckBetween("e", 0.93, 0.925, 1).IsRight);
        Assert.Contains("below", Exercise.CheckBetween("e", 0.9, 0.925, 1).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Exercise.CheckBetween("e", 1, 2, 1));

        string[] options = ["sgd", "adam"];
        Assert.True(Exercise.CheckChoice("e", " Adam ", options, "adam", "it adapts per parameter").IsRight);
        Assert.Equal("✘ e: not sgd: it adapts per parameter", Exercise.CheckChoice("e", "sgd", options, "adam", "it adapts per parameter").ToString());
        Assert.Contains("not one of the options", Exercise.CheckChoice("e", "lbfgs", options, "adam", "x").Message, StringComparison.Ordinal);
        Assert.Equal(ExerciseVerdict.NotAnswered, Exercise.CheckChoice("e", " ", options, "adam", "x").Verdict);
        Assert.Throws<ArgumentException>(() => Exercise.CheckChoice("e", "sgd", options, "rmsprop", "x"));

        Assert.True(Exercise.CheckTrue("e", false, false, "views share storage").IsRight);
        Assert.Equal("✘ e: the answer is no: views share storage", Exercise.CheckTrue("e", true, false, "views share storage").ToString());
    }

    [Fact]
    public void CheckTensor_NamesShapeDtypeAndLargestDifference()
    {
        using var scope = NewDisposeScope();
        var expected = tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3);
        Assert.Equal(ExerciseVerdict.NotAnswered, Exercise.CheckTensor("e", null, expected).Verdict);
        Assert.True(Exercise.CheckTensor("e", expected.to_type(ScalarType.Float64) + 1e-7, expected).IsRight);
        Assert.Contains("shape [3, 2] is not the expected [2, 3]", Exercise.CheckTensor("e", expected.reshape(3, 2), expected).Message, StringComparison.Ordinal);
        Assert.Contains("element type Float64", Exercise.CheckTensor("e", expected.to_type(ScalarType.Float64), expected, sameDtype: true).Message, StringComparison.Ordinal);

        var off = expected.clone();
        off[1, 2] = tensor(9f);
        var wrong = Exercise.CheckTensor("e", off, expected);
        Assert.Equal("element [1, 2] is 9, expected 6 (and 1 element(s) in all are off by more than the tolerance).", wrong.Message);

        var nan = expected.clone();
        nan[0, 1] = tensor(float.NaN);
        Assert.Contains("element [0, 1] is NaN", Exercise.CheckTensor("e", nan, expected).Message, StringComparison.Ordinal);

        var disposed = expected.clone();
        disposed.Dispose();
        Assert.Contains("disposed", Exercise.CheckTensor("e", disposed, expected).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureRight_ThrowsForWrongAndUnanswered()
    {
        var right = Exercise.CheckInteger("e", 3, 3);
        Assert.Same(right, right.EnsureRight());
        var ex = Assert.Throws<ExerciseNotSolvedException>(() => Exercise.CheckInteger("e", 4, 3).EnsureRight());
        Assert.Equal(ExerciseVerdict.Wrong, ex.Result!.Verdict);
        Assert.Throws<ExerciseNotSolvedException>(() => Exercise.CheckInteger("e", null, 3).EnsureRight());
    }
}
