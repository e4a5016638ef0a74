using System.Globalization;
using System.Text.RegularExpressions;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Tests.Infrastructure;

/// <summary>Tests of the ELF version-need patcher against the pristine libLibTorchSharp.so from the torchsharp .nupkg and readelf.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // ELF files; every test is a LinuxFact or reads ELF files
[Trait("Tier", "unit")]
public sealed partial class ElfVersionNeedPatcherTests : IDisposable
{
    private const string LibStdCxx = "libstdc++.so.6";
    private const string Anchor = "GLIBCXX_3.4.32";
    private readonly TempFolder temp = new();

    /// <summary>Deletes the temporary folder.</summary>
    public void Dispose() => temp.Dispose();

    /// <summary>MarkWeak on pristine file: changes only the vna flags of that entry.</summary>
    [LinuxFact]
    public void MarkWeak_OnPristineFile_ChangesOnlyTheVnaFlagsOfThatEntry()
    {
        var path = NativeTestFiles.ExtractPristine(temp.Path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var before = File.ReadAllBytes(path);
        var readelfBefore = NativeTestFiles.ReadElf("-V -W", path);

        var outcome = ElfVersionNeedPatcher.MarkWeak(path, LibStdCxx, Anchor);

        Assert.Equal(VersionNeedPatchOutcome.Patched, outcome);
        var after = File.ReadAllBytes(path);
        Assert.Equal(before.Length, after.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        var offset = Assert.Single(changed);
        Assert.Equal(0, before[offset] & 0x2);
        Assert.Equal(before[offset] | 0x2, after[offset]);
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(path));
        Assert.Equal([path], Directory.GetFiles(temp.Path)); // no temporary file left behind

        Assert.True(readelfBefore is not null, "readelf (binutils) is needed to check the patched offset independently; apt-get install binutils");

        // readelf locates the entry independently: section offset + entry offset + 4 is vna_flags.
        var section = VersionNeedsHeader().Match(readelfBefore);
        var entry = Regex.Match(readelfBefore, @"\s(0x[0-9a-f]+):\s+Name: GLIBCXX_3\.4\.32\s+Flags: none");
        Assert.True(section.Success && entry.Success, readelfBefore);
        Assert.Equal(
            long.Parse(section.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                + Convert.ToInt64(entry.Groups[1].Value, 16) + 4,
            offset);

        var readelfAfter = NativeTestFiles.ReadElf("-V -W", path)!;
        var linesBefore = readelfBefore.Split('\n');
        var linesAfter = readelfAfter.Split('\n');
        Assert.Equal(linesBefore.Length, linesAfter.Length);
        var differing = Enumerable.Range(0, linesBefore.Length).Where(i => linesBefore[i] != linesAfter[i]).ToList();
        var line = Assert.Single(differing);
        Assert.Matches(@"Name: GLIBCXX_3\.4\.32\s+Flags: WEAK\s", linesAfter[line]);
    }

    /// <summary>MarkWeak second time: writes nothing.</summary>
    [LinuxFact]
    public void MarkWeak_SecondTime_WritesNothing()
    {
        var path = NativeTestFiles.ExtractPristine(temp.Path);
        Assert.Equal(VersionNeedPatchOutcome.Patched, ElfVersionNeedPatcher.MarkWeak(path, LibStdCxx, Anchor));
        var bytes = File.ReadAllBytes(path);
        var time = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, time);

        Assert.Equal(VersionNeedPatchOutcome.AlreadyWeak, ElfVersionNeedPatcher.MarkWeak(path, LibStdCxx, Anchor));

        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal(time, File.GetLastWriteTimeUtc(path));
        Assert.True(ElfVersionNeedPatcher.Find(path, LibStdCxx, Anchor)!.IsWeak);
    }

    /// <summary>MarkWeak replaces the file: so an open handle keeps the old contents.</summary>
    [LinuxFact]
    public void MarkWeak_ReplacesTheFile_SoAnOpenHandleKeepsTheOldContents()
    {
        var path = NativeTestFiles.ExtractPristine(temp.Path);
        var entry = ElfVersionNeedPatcher.Find(path, LibStdCxx, Anchor)!;
        using var open = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        ElfVersionNeedPatcher.MarkWeak(path, LibStdCxx, Anchor);

        open.Position = entry.FlagsOffset;
        Assert.Equal(entry.Flags & 0xff, open.ReadByte()); // the old inode is untouched
        Assert.True(ElfVersionNeedPatcher.Find(path, LibStdCxx, Anchor)!.IsWeak);
    }

    /// <summary>MarkWeak on aversion that is really used: refuses and leaves the file alone.</summary>
    [LinuxTheory]
    [InlineData("GLIBCXX_3.4.30", LibStdCxx)] // many symbols of this version are relocated against
    [InlineData("GLIBC_2.2.5", "libc.so.6")]
    public void MarkWeak_OnAVersionThatIsReallyUsed_RefusesAndLeavesTheFileAlone(string version, string library)
    {
        var path = NativeTestFiles.ExtractPristine(temp.Path);
        var before = File.ReadAllBytes(path);

        var error = Assert.Throws<InvalidOperationException>(() => ElfVersionNeedPatcher.MarkWeak(path, library, version));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(version, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    /// <summary>MarkWeak for aversion the file does not need: is not required.</summary>
    [LinuxFact]
    public void MarkWeak_ForAVersionTheFileDoesNotNeed_IsNotRequired()
    {
        var path = NativeTestFiles.ExtractPristine(temp.Path);
        var before = File.ReadAllBytes(path);

        Assert.Equal(VersionNeedPatchOutcome.NotRequired, ElfVersionNeedPatcher.MarkWeak(path, LibStdCxx, "GLIBCXX_9.9.99"));
        Assert.Equal(VersionNeedPatchOutcome.NotRequired, ElfVersionNeedPatcher.MarkWeak(path, "libfoo.so.1", Anchor));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    /// <summary>MarkWeak on non elf file, throws naming the file: and leaves it alone.</summary>
    [Fact]
    public void MarkWeak_OnNonElfFile_ThrowsNamingTheFile_AndLeavesItAlone()
    {
        var path = Path.Combine(temp.Path, "notes.so");
        File.WriteAllText(path, "This is not a shared library, just some text long enough to hold a header........");
        AssertRejected(path, "not an ELF file");
    }

    /// <summary>MarkWeak on truncated file, throws naming the file: and leaves it alone.</summary>
    [Fact]
    public void MarkWeak_OnTruncatedFile_ThrowsNamingTheFile_AndLeavesItAlone()
    {
        var path = Path.Combine(temp.Path, "truncated.so");
        using (var source = new TempFolder())
        {
            File.WriteAllBytes(path, File.ReadAllBytes(NativeTestFiles.ExtractPristine(source.Path)).AsSpan(0, 300_000).ToArray());
        }

        AssertRejected(path, "is truncated");
    }

    /// <summary>MarkWeak on file shorter than the elf header: throws truncated.</summary>
    [Fact]
    public void MarkWeak_OnFileShorterThanTheElfHeader_ThrowsTruncated()
    {
        var path = Path.Combine(temp.Path, "stub.so");
        File.WriteAllBytes(path, [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0]);
        AssertRejected(path, "is truncated");
    }

    /// <summary>MarkWeak on32 bit elf, throws naming the file: and leaves it alone.</summary>
    [Fact]
    public void MarkWeak_On32BitElf_ThrowsNamingTheFile_AndLeavesItAlone()
    {
        var path = Path.Combine(temp.Path, "lib32.so");
        using (var source = new TempFolder())
        {
            var bytes = File.ReadAllBytes(NativeTestFiles.ExtractPristine(source.Path));
            bytes[4] = 1; // EI_CLASS = ELFCLASS32
            File.WriteAllBytes(path, bytes);
        }

        AssertRejected(path, "32-bit");
    }

    /// <summary>MarkWeak on read only file: throws and leaves it alone.</summary>
    [LinuxFact]
    public void MarkWeak_OnReadOnlyFile_ThrowsAndLeavesItAlone()
    {
        var path = NativeTestFiles.ExtractPristine(temp.Path);
        var before = File.ReadAllBytes(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var error = Assert.Throws<UnauthorizedAccessException>(() => ElfVersionNeedPatcher.MarkWeak(path, LibStdCxx, Anchor));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    /// <summary>SystemLibStdCxx: versions match readelf.</summary>
    [ReadElfFact]
    public void SystemLibStdCxx_VersionsMatchReadelf()
    {
        var system = LibStdCxxInfo.FindSystem();
        Assert.True(system is not null, "no system libstdc++.so.6 was found on this Linux system");

        var readelf = NativeTestFiles.ReadElf("-V -W", system.Path);
        Assert.True(readelf is not null, $"readelf could not read {system.Path}");

        // Version definitions section: "0x001c: Rev: 1  Flags: none  Index: 2  Cnt: 1  Name: GLIBCXX_3.4"
        var defined = Regex.Matches(readelf, @"Rev: 1\s+Flags: (\S+)\s+Index: \d+\s+Cnt: \d+\s+Name: (\S+)")
            .Where(m => m.Groups[1].Value != "BASE")
            .Select(m => m.Groups[2].Value)
            .ToList();
        Assert.NotEmpty(defined);
        Assert.Equal(defined.Order(StringComparer.Ordinal), system.Versions.Order(StringComparer.Ordinal));
        var highest = defined.Where(v => v.StartsWith("GLIBCXX_", StringComparison.Ordinal))
            .MaxBy(v => Version.Parse(v["GLIBCXX_".Length..]));
        Assert.Equal(highest, system.HighestGlibcxx);
    }

    private static void AssertRejected(string path, string problem)
    {
        var before = File.ReadAllBytes(path);
        var time = File.GetLastWriteTimeUtc(path);

        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.MarkWeak(path, LibStdCxx, Anchor));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(time, File.GetLastWriteTimeUtc(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [GeneratedRegex(@"Version needs section '\.gnu\.version_r'.*\n\s*Addr: 0x[0-9a-f]+\s+Offset: 0x([0-9a-f]+)")]
    private static partial Regex VersionNeedsHeader();
}
