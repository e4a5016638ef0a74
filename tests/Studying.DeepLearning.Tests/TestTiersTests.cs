using System.Reflection;

namespace Studying.DeepLearning.Tests;

/// <summary>
/// Every test class says which tier it belongs to (<c>[Trait("Tier", …)]</c>), so `dotnet test --filter Tier=unit`
/// runs the fast tier and nothing slips into it by omission: kernels (notebook), packing (packaging), studydl as a
/// process (cli) and the installed real data (data) each have their own tier.
/// </summary>
[Trait("Tier", "unit")]
public sealed class TestTiersTests
{
    private static readonly string[] Tiers = ["unit", "cli", "notebook", "packaging", "data"];

    private static readonly Dictionary<string, string> TierOfFolder = new(StringComparer.Ordinal)
    {
        ["Studying.DeepLearning.Tests.Notebooks"] = "notebook",
        ["Studying.DeepLearning.Tests.Packaging"] = "packaging",
        ["Studying.DeepLearning.Tests.Cli"] = "cli",
    };

    [Fact]
    public void EveryTestClass_HasOneKnownTier_MatchingItsFolder()
    {
        var testClasses = typeof(TestTiersTests).Assembly.GetTypes()
            .Where(t => t.IsClass && t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any()))
            .ToArray();
        Assert.True(testClasses.Length > 50, $"only {testClasses.Length} test classes found");

        var problems = new List<string>();
        foreach (var type in testClasses)
        {
            var tiers = type.GetCustomAttributesData()
                .Where(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == "Tier")
                .Select(a => (string?)a.ConstructorArguments[1].Value)
                .ToArray();
            if (tiers.Length != 1 || !Tiers.Contains(tiers[0]))
                problems.Add($"{type.FullName}: tiers [{string.Join(", ", tiers)}], expected one of {string.Join(", ", Tiers)}");
            else if (type.Namespace is { } ns && TierOfFolder.TryGetValue(ns, out var expected) && tiers[0] != expected)
                problems.Add($"{type.FullName}: tier {tiers[0]}, but its folder's tier is {expected}");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
