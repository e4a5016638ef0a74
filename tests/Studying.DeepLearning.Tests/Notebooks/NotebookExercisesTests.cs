using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Studying.DeepLearning.Notebooks;

namespace Studying.DeepLearning.Tests.Notebooks;

/// <summary>
/// Every notebook ends with exercises, and every exercise checks itself: each markdown cell that states an exercise
/// (<c>**Exercise N.**</c>) is followed, before the next exercise, by a collapsed code cell tagged <c>solution</c>
/// that passes the solution through an <c>Exercise.Check…</c> and calls <c>EnsureRight()</c>. The notebook tests run
/// every cell, so a solution that stops being right fails them. Exercise cells for the learner (tagged
/// <c>exercise</c>) call a check too. Read from the files, without a kernel.
/// </summary>
[Trait("Tier", "notebook")]
public sealed partial class NotebookExercisesTests
{
    private static readonly DirectoryInfo s_root = NotebookRunner.FindRepositoryRoot();

    /// <summary>Every notebook under notebooks/ (file names).</summary>
    public static TheoryData<string> Notebooks() =>
        new([.. Directory.GetFiles(Path.Combine(s_root.FullName, "notebooks"), "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal)!]);

    [GeneratedRegex(@"^\*\*Exercise (\d+)\.\*\*", RegexOptions.Multiline)]
    private static partial Regex ExerciseHeading();

    /// <summary>The notebook has an Exercises section and every exercise has a checked, collapsed solution.</summary>
    /// <param name="name">The notebook's file name.</param>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void EveryExercise_HasACheckedCollapsedSolution(string name)
    {
        var cells = NotebookFile.Read(Path.Combine(s_root.FullName, "notebooks", name))["cells"]!.AsArray().Select(c => c!.AsObject()).ToList();
        var problems = new List<string>();
        if (!cells.Any(c => !NotebookFile.IsCode(c) && NotebookFile.Source(c).Contains("## Exercises", StringComparison.Ordinal)))
            problems.Add("no \"## Exercises\" section");

        var exercises = cells.Select((c, i) => (Cell: c, Index: i))
            .Where(x => !NotebookFile.IsCode(x.Cell) && ExerciseHeading().IsMatch(NotebookFile.Source(x.Cell)))
            .ToList();
        if (exercises.Count == 0)
            problems.Add("no exercise (a markdown cell starting **Exercise 1.**)");

        for (var k = 0; k < exercises.Count; k++)
        {
            var (cell, start) = exercises[k];
            var number = ExerciseHeading().Match(NotebookFile.Source(cell)).Groups[1].Value;
            if (number != (k + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
                problems.Add($"exercise {k + 1} is numbered {number}");
            var end = k + 1 < exercises.Count ? exercises[k + 1].Index : cells.Count;
            var following = cells.Skip(start + 1).Take(end - start - 1).Where(NotebookFile.IsCode).ToList();
            var solutions = following.Where(c => NotebookFile.Tags(c).Contains("solution")).ToList();
            if (solutions.Count == 0)
                problems.Add($"exercise {number}: no code cell tagged \"solution\" after it");
            foreach (var solution in solutions)
            {
                var source = NotebookFile.Source(solution);
                if (!source.Contains("Exercise.Check", StringComparison.Ordinal) || !source.Contains(".EnsureRight()", StringComparison.Ordinal))
                    problems.Add($"exercise {number}: its solution cell does not pass an Exercise.Check… through EnsureRight()");
                if (solution["metadata"]?["jupyter"]?["source_hidden"]?.GetValue<bool>() != true)
                    problems.Add($"exercise {number}: its solution cell is not collapsed (metadata.jupyter.source_hidden)");
            }

            foreach (var exercise in following.Where(c => NotebookFile.Tags(c).Contains("exercise")))
            {
                if (!NotebookFile.Source(exercise).Contains("Exercise.Check", StringComparison.Ordinal))
                    problems.Add($"exercise {number}: its exercise cell does not call an Exercise.Check…");
            }
        }

        Assert.True(problems.Count == 0, $"{name}:\n" + string.Join("\n", problems));
    }

    /// <summary>A stored solution output says right (the executed notebook shows ✔, never ✘).</summary>
    /// <param name="name">The notebook's file name.</param>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void StoredSolutionOutputs_AreRight(string name)
    {
        var cells = NotebookFile.Read(Path.Combine(s_root.FullName, "notebooks", name))["cells"]!.AsArray().Select(c => c!.AsObject());
        foreach (var solution in cells.Where(c => NotebookFile.IsCode(c) && NotebookFile.Tags(c).Contains("solution")))
        {
            var text = solution["outputs"] is JsonArray outputs ? outputs.ToJsonString() : "";
            Assert.DoesNotContain("✘", text, StringComparison.Ordinal);
        }
    }
}
