using Studying.DeepLearning.Classification;

namespace Studying.DeepLearning.Tests.Classification;

/// <summary>Bad CSV files written to disk and read back: one InvalidDataException naming the file, line and column.</summary>
[Trait("Tier", "unit")]
public class TabularCsvBoundsTests
{
    private static InvalidDataException ParseFile(string text, out string path, out long allocated)
    {
        using var dir = new TempFolder();
        path = dir.File("bad.csv");
        File.WriteAllText(path, text);
        using var reader = File.OpenText(path);
        var name = path;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => TabularCsv.Parse(reader, name));
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return e;
    }

    [Fact]
    public void Parse_HeaderClaimsTwoBillionRows_InAOneRowFile_ThrowsWithoutAllocatingThem()
    {
        // Before, the header's counts sized a double[2,000,000,000, 40] up front (640 GB).
        var e = ParseFile("2000000000,40,a,b\n" + string.Join(',', Enumerable.Repeat("1", 40)) + ",0\n", out var path, out var allocated);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("announces 2000000000 rows but the file has 1 (it ends at line 2)", e.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 1 << 20);
    }

    [Fact]
    public void Parse_HeaderClaimsTwoBillionFeatures_RaggedFirstRow_ThrowsWithoutAllocatingThem()
    {
        var e = ParseFile("3,2000000000,a,b\n1,2,0\n", out var path, out var allocated);
        Assert.Contains($"{path}, line 2: 3 values, but the header announces 2000000000 features", e.Message, StringComparison.Ordinal);
        Assert.Contains("data row 1 is ragged", e.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 1 << 20);
    }

    [Theory]
    [InlineData("2,2,a,b\n1,2,0\n3,abc,1\n", "line 3, column 2: 'abc' is not a finite number (data row 2, feature 2)")]
    [InlineData("2,2,a,b\n1,NaN,0\n3,4,1\n", "line 2, column 2: 'NaN' is not a finite number (data row 1, feature 2)")]
    [InlineData("2,2,a,b\n1,2,0\n3,4,-1\n", "line 3, column 3: label '-1' is not a class index 0–1 (a, b) (data row 2)")]
    [InlineData("2,2,a,b\n1,2,0\n3,4\n", "line 3: 2 values, but the header announces 2 features and a label (3 values) — data row 2 is ragged")]
    [InlineData("2,2,a,\n1,2,0\n3,4,1\n", "line 1, column 4: the class name is empty")]
    public void Parse_BadFile_NamesFileLineAndColumn(string text, string expected)
    {
        var e = ParseFile(text, out var path, out _);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
