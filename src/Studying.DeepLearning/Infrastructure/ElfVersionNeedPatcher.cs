// One implementation, two compilers: the library compiles this file as usual, and the build step in
// buildTransitive/Studying.DeepLearning.Native.targets compiles the very same file with MSBuild's
// RoslynCodeTaskFactory (against netstandard2.0, without the NET symbol). Keep it to C# and APIs that
// compile there: no Span, no records or init accessors, nothing newer than netstandard2.0 outside `#if NET`.
// The MSBuild task class at the end is inside `#if !NET`, so the library never compiles it.
#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace Studying.DeepLearning.Infrastructure;

/// <summary>What <see cref="ElfVersionNeedPatcher.MarkWeak"/> did.</summary>
internal enum VersionNeedPatchOutcome
{
    /// <summary>The file does not need that version from that library at all; nothing written.</summary>
    NotRequired,

    /// <summary>The requirement was already weak; nothing written.</summary>
    AlreadyWeak,

    /// <summary>The requirement was marked weak (the file was atomically replaced).</summary>
    Patched,
}

/// <summary>One Vernaux entry of an ELF <c>.gnu.version_r</c> table: a symbol version needed from a library.</summary>
internal sealed class VersionNeed
{
    /// <summary>Creates an entry.</summary>
    public VersionNeed(string library, string version, ushort flags, ushort index, long flagsOffset)
    {
        Library = library;
        Version = version;
        Flags = flags;
        Index = index;
        FlagsOffset = flagsOffset;
    }

    /// <summary>The library the version is needed from (vn_file), e.g. <c>libstdc++.so.6</c>.</summary>
    public string Library { get; }

    /// <summary>The version name (vna_name), e.g. <c>GLIBCXX_3.4.32</c>.</summary>
    public string Version { get; }

    /// <summary>vna_flags.</summary>
    public ushort Flags { get; }

    /// <summary>vna_other: the index symbols carry in <c>.gnu.version</c> when they need this version.</summary>
    public ushort Index { get; }

    /// <summary>File offset of the 2-byte little-endian vna_flags field.</summary>
    public long FlagsOffset { get; }

    /// <summary>Whether VER_FLG_WEAK is set, so the dynamic loader tolerates a library without this version.</summary>
    public bool IsWeak => (Flags & ElfVersionNeedPatcher.WeakFlag) != 0;
}

/// <summary>
/// Reads and edits the version-needs table (<c>.gnu.version_r</c>, SHT_GNU_verneed) of an ELF64 little-endian
/// file, and reads the version definitions (<c>.gnu.version_d</c>) of a shared library.
/// </summary>
/// <remarks>
/// <para>The only edit is setting VER_FLG_WEAK on one Vernaux entry. glibc's loader then accepts a library
/// that lacks that version instead of refusing to load the file (<c>_dl_check_map_versions</c>). Symbols are
/// still bound by name and version when they are looked up, so a weak requirement is only safe when no
/// symbol with that version is ever looked up. <see cref="MarkWeak"/> proves that from the file itself: every
/// dynamic symbol tagged with the version must be undefined and named by no relocation (a symbol no relocation
/// names is never resolved — it is a link-time anchor, like <c>std::ios_base_library_init</c> that GCC 13
/// emits for <c>GLIBCXX_3.4.32</c>). Otherwise it refuses and leaves the file alone.</para>
/// <para>Writes are atomic: the file is copied to a temporary file in the same folder (keeping its mode),
/// the copy is re-validated and patched, and then renamed over the original. A process that has the old file
/// mapped keeps the old inode; a reader never sees a half-written file.</para>
/// </remarks>
internal static class ElfVersionNeedPatcher
{
    /// <summary>VER_FLG_WEAK.</summary>
    public const ushort WeakFlag = 0x2;

    private const uint ShtStrtab = 3;
    private const uint ShtRela = 4;
    private const uint ShtNobits = 8;
    private const uint ShtRel = 9;
    private const uint ShtDynsym = 11;
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;

    /// <summary>Lists every Vernaux entry of the file; empty if it has no <c>.gnu.version_r</c> section.</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed ELF64 little-endian file.</exception>
    public static IReadOnlyList<VersionNeed> ReadVersionNeeds(string path)
    {
        using var elf = new ElfImage(path);
        return ReadNeeds(elf);
    }

    /// <summary>Lists the version names a shared library defines (<c>.gnu.version_d</c>), without its base entry.</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed ELF64 little-endian file.</exception>
    public static IReadOnlyList<string> ReadVersionDefinitions(string path)
    {
        using var elf = new ElfImage(path);
        var names = new List<string>();
        var section = elf.FindSingle(ShtGnuVerdef);
        if (section is null)
        {
            return names;
        }

        var strings = elf.LinkedStringTable(section);
        var data = elf.ReadSection(section);
        long offset = 0;
        for (uint i = 0; i < section.Info; i++)
        {
            elf.Require(offset >= 0 && offset + 20 <= data.Length, $"Verdef entry {i} at offset {offset} of .gnu.version_d lies outside the section");
            var flags = U16(data, offset + 2);
            var count = U16(data, offset + 6);
            var aux = U32(data, offset + 12);
            var next = U32(data, offset + 16);
            if ((flags & 0x1) == 0 && count > 0)
            {
                var auxOffset = offset + aux;
                elf.Require(auxOffset + 8 <= data.Length, $"Verdaux of Verdef entry {i} lies outside .gnu.version_d");
                names.Add(elf.ReadString(strings, U32(data, auxOffset)));
            }

            if (next == 0)
            {
                break;
            }

            offset += next;
        }

        return names;
    }

    /// <summary>Finds the entry for <paramref name="version"/> needed from <paramref name="library"/>, or null.</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed ELF64 little-endian file.</exception>
    public static VersionNeed? Find(string path, string library, string version)
    {
        using var elf = new ElfImage(path);
        return FindNeed(elf, library, version);
    }

    /// <summary>
    /// Marks weak the requirement of <paramref name="version"/> from <paramref name="library"/> in the ELF file at
    /// <paramref name="path"/>, if nothing in the file binds to a symbol of that version. Idempotent: an entry
    /// that is already weak, or absent, leaves the file untouched.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed ELF64 little-endian file.</exception>
    /// <exception cref="InvalidOperationException">A symbol of that version is defined or bound, so the file is left alone.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is read-only, or its folder is not writable.</exception>
    /// <exception cref="IOException">The file could not be read, copied or replaced, or changed meanwhile.</exception>
    public static VersionNeedPatchOutcome MarkWeak(string path, string library, string version)
    {
        var fullPath = ResolveFinalTarget(Path.GetFullPath(path));
        VersionNeed? need;
        using (var elf = new ElfImage(fullPath))
        {
            need = FindNeed(elf, library, version);
            if (need is null)
            {
                return VersionNeedPatchOutcome.NotRequired;
            }

            if (need.IsWeak)
            {
                return VersionNeedPatchOutcome.AlreadyWeak;
            }

            EnsureNothingBinds(elf, need);
        }

        if ((File.GetAttributes(fullPath) & FileAttributes.ReadOnly) != 0)
        {
            throw new UnauthorizedAccessException($"'{fullPath}' is read-only, so its {version} requirement was not marked weak.");
        }

        var folder = Path.GetDirectoryName(fullPath) ?? ".";
        var temp = Path.Combine(folder, "." + Path.GetFileName(fullPath) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            File.Copy(fullPath, temp); // On Unix, File.Copy gives the copy the source's permission bits.
            VersionNeed copied;
            using (var elf = new ElfImage(temp))
            {
                copied = FindNeed(elf, library, version)
                    ?? throw new IOException($"'{fullPath}' changed while being patched (the {version} entry disappeared).");
                if (copied.FlagsOffset != need.FlagsOffset || copied.IsWeak)
                {
                    throw new IOException($"'{fullPath}' changed while being patched.");
                }

                EnsureNothingBinds(elf, copied);
            }

            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.Write, FileShare.None))
            {
                var flags = (ushort)(copied.Flags | WeakFlag);
                stream.Position = copied.FlagsOffset;
                stream.WriteByte((byte)(flags & 0xff));
                stream.WriteByte((byte)(flags >> 8));
                stream.Flush(true);
            }

            // A fresh timestamp, so incremental copies (MSBuild's SkipUnchangedFiles) replace stale unpatched copies.
            File.SetLastWriteTimeUtc(temp, DateTime.UtcNow);
            File.Replace(temp, fullPath, null); // rename(2) on Unix: atomic, and open mappings keep the old inode.
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            throw;
        }

        return VersionNeedPatchOutcome.Patched;
    }

    private static string ResolveFinalTarget(string fullPath)
    {
#if NET
        // Renaming over a symbolic link would replace the link; patch the file it points to instead.
        var target = File.ResolveLinkTarget(fullPath, returnFinalTarget: true);
        return target is null ? fullPath : target.FullName;
#else
        if (File.Exists(fullPath) && (File.GetAttributes(fullPath) & FileAttributes.ReparsePoint) != 0)
        {
            throw new IOException($"'{fullPath}' is a symbolic link; not patched (patch the file it points to).");
        }

        return fullPath;
#endif
    }

    private static VersionNeed? FindNeed(ElfImage elf, string library, string version) =>
        ReadNeeds(elf).FirstOrDefault(n => n.Library == library && n.Version == version);

    private static List<VersionNeed> ReadNeeds(ElfImage elf)
    {
        var needs = new List<VersionNeed>();
        var section = elf.FindSingle(ShtGnuVerneed);
        if (section is null)
        {
            return needs;
        }

        var strings = elf.LinkedStringTable(section);
        var data = elf.ReadSection(section);
        long offset = 0;
        for (uint i = 0; i < section.Info; i++)
        {
            elf.Require(offset >= 0 && offset + 16 <= data.Length, $"Verneed entry {i} at offset {offset} of .gnu.version_r lies outside the section");
            var entryVersion = U16(data, offset);
            elf.Require(entryVersion == 1, $"Verneed entry {i} has version {entryVersion}, not 1");
            var count = U16(data, offset + 2);
            var library = elf.ReadString(strings, U32(data, offset + 4));
            var auxOffset = offset + U32(data, offset + 8);
            var next = U32(data, offset + 12);
            for (var j = 0; j < count; j++)
            {
                elf.Require(auxOffset + 16 <= data.Length, $"Vernaux entry {j} of {library} at offset {auxOffset} of .gnu.version_r lies outside the section");
                var flags = U16(data, auxOffset + 4);
                var index = U16(data, auxOffset + 6);
                var name = elf.ReadString(strings, U32(data, auxOffset + 8));
                needs.Add(new VersionNeed(library, name, flags, index, section.Offset + auxOffset + 4));
                var nextAux = U32(data, auxOffset + 12);
                if (nextAux == 0)
                {
                    break;
                }

                auxOffset += nextAux;
            }

            if (next == 0)
            {
                break;
            }

            offset += next;
        }

        return needs;
    }

    /// <summary>Throws unless every dynamic symbol tagged with the entry's version is undefined and unrelocated.</summary>
    private static void EnsureNothingBinds(ElfImage elf, VersionNeed need)
    {
        var versym = elf.FindSingle(ShtGnuVersym)
            ?? throw new InvalidOperationException($"'{elf.Path}' has no .gnu.version section, so which symbols need {need.Version} cannot be checked; not patched.");
        var dynsym = elf.Section(versym.Link);
        elf.Require(dynsym.Type == ShtDynsym, ".gnu.version does not link to a dynamic symbol table");
        var symbols = elf.ReadSection(dynsym);
        var versions = elf.ReadSection(versym);
        var symbolCount = symbols.Length / 24;
        elf.Require(versions.Length / 2 == symbolCount, ".gnu.version and .dynsym have different entry counts");
        var strings = elf.LinkedStringTable(dynsym);

        var tagged = new HashSet<uint>();
        for (uint i = 0; i < symbolCount; i++)
        {
            if ((U16(versions, i * 2L) & 0x7fff) != need.Index)
            {
                continue;
            }

            if (U16(symbols, (i * 24L) + 6) != 0)
            {
                throw new InvalidOperationException(
                    $"'{elf.Path}' defines symbol {elf.ReadString(strings, U32(symbols, i * 24L))} with needed version {need.Version}; not patched.");
            }

            tagged.Add(i);
        }

        foreach (var section in elf.Sections.Where(s => (s.Type == ShtRela || s.Type == ShtRel) && s.Link == dynsym.Index))
        {
            var entrySize = section.Type == ShtRela ? 24 : 16;
            var relocations = elf.ReadSection(section);
            for (long offset = 0; offset + entrySize <= relocations.Length; offset += entrySize)
            {
                var symbol = (uint)(U64(relocations, offset + 8) >> 32);
                if (tagged.Contains(symbol))
                {
                    var name = elf.ReadString(strings, U32(symbols, symbol * 24L));
                    throw new InvalidOperationException(
                        $"'{elf.Path}' binds symbol {name}@{need.Version} through a relocation, so {need.Version} from {need.Library} is really needed; not patched.");
                }
            }
        }
    }

    private static ushort U16(byte[] data, long offset) => (ushort)(data[offset] | (data[offset + 1] << 8));

    private static uint U32(byte[] data, long offset) => U16(data, offset) | ((uint)U16(data, offset + 2) << 16);

    private static ulong U64(byte[] data, long offset) => U32(data, offset) | ((ulong)U32(data, offset + 4) << 32);

    private sealed class ElfSection
    {
        public ElfSection(int index, uint type, long offset, long size, uint link, uint info)
        {
            Index = index;
            Type = type;
            Offset = offset;
            Size = size;
            Link = link;
            Info = info;
        }

        public int Index { get; }

        public uint Type { get; }

        public long Offset { get; }

        public long Size { get; }

        public uint Link { get; }

        public uint Info { get; }
    }

    /// <summary>An ELF64 little-endian file opened for reading; reads only the parts asked for.</summary>
    private sealed class ElfImage : IDisposable
    {
        private const int HeaderSize = 64;
        private const int SectionHeaderSize = 64;
        private readonly FileStream stream;

        public ElfImage(string path)
        {
            Path = path;
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            try
            {
                Length = stream.Length;
                Sections = ReadSectionHeaders();
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        public string Path { get; }

        public long Length { get; }

        public ElfSection[] Sections { get; }

        public void Dispose() => stream.Dispose();

        public void Require(bool condition, string problem)
        {
            if (!condition)
            {
                throw Invalid(problem);
            }
        }

        public ElfSection Section(uint index)
        {
            Require(index < Sections.Length, $"a section links to section {index}, but there are only {Sections.Length}");
            return Sections[(int)index];
        }

        public ElfSection? FindSingle(uint type)
        {
            var found = Sections.Where(s => s.Type == type).ToList();
            Require(found.Count <= 1, $"it has {found.Count} sections of type 0x{type:x}");
            return found.Count == 0 ? null : found[0];
        }

        public ElfSection LinkedStringTable(ElfSection section)
        {
            var strings = Section(section.Link);
            Require(strings.Type == ShtStrtab, $"section {section.Index} links to section {strings.Index}, which is not a string table");
            return strings;
        }

        public byte[] ReadSection(ElfSection section)
        {
            Require(section.Type != ShtNobits, $"section {section.Index} has no contents in the file");
            Require(section.Size <= int.MaxValue, $"section {section.Index} is too large ({section.Size} bytes)");
            if (section.Offset < 0 || section.Offset + section.Size > Length)
            {
                throw Truncated($"section {section.Index} (offset {section.Offset}, {section.Size} bytes)");
            }

            return ReadAt(section.Offset, (int)section.Size);
        }

        public string ReadString(ElfSection strings, uint offset)
        {
            Require(offset < strings.Size, $"string offset {offset} lies outside string table section {strings.Index}");
            var bytes = new List<byte>();
            var position = strings.Offset + offset;
            var end = Math.Min(strings.Offset + strings.Size, Length);
            while (position < end)
            {
                var chunk = ReadAt(position, (int)Math.Min(64, end - position));
                var nul = Array.IndexOf(chunk, (byte)0);
                if (nul >= 0)
                {
                    bytes.AddRange(chunk.Take(nul));
                    return Encoding.UTF8.GetString(bytes.ToArray());
                }

                bytes.AddRange(chunk);
                position += chunk.Length;
            }

            throw Invalid($"the string at offset {offset} of section {strings.Index} is not terminated");
        }

        private ElfSection[] ReadSectionHeaders()
        {
            if (Length < 4)
            {
                throw Invalid("it is not an ELF file: it is shorter than the 4-byte ELF magic number");
            }

            var ident = ReadAt(0, (int)Math.Min(16, Length));
            if (ident[0] != 0x7f || ident[1] != (byte)'E' || ident[2] != (byte)'L' || ident[3] != (byte)'F')
            {
                throw Invalid("it is not an ELF file: it does not start with the ELF magic number 7F 45 4C 46");
            }

            if (Length < 6)
            {
                throw Truncated("the ELF identification");
            }

            if (ident[4] != 2)
            {
                throw Invalid(ident[4] == 1
                    ? "it is a 32-bit ELF file (ELFCLASS32); only 64-bit ELF files are supported"
                    : $"it has an unknown ELF class {ident[4]}; only 64-bit ELF files are supported");
            }

            if (ident[5] != 1)
            {
                throw Invalid("it is not little-endian (EI_DATA is not ELFDATA2LSB); only little-endian ELF files are supported");
            }

            if (Length < HeaderSize)
            {
                throw Truncated("the 64-byte ELF header");
            }

            var header = ReadAt(0, HeaderSize);
            var tableOffset = (long)U64(header, 0x28);
            var entrySize = U16(header, 0x3a);
            long count = U16(header, 0x3c);
            if (tableOffset == 0)
            {
                throw Invalid("it has no section header table");
            }

            Require(entrySize == SectionHeaderSize, $"its section header size is {entrySize}, not {SectionHeaderSize}");
            if (tableOffset < 0 || tableOffset + SectionHeaderSize > Length)
            {
                throw Truncated($"the section header table (offset {tableOffset})");
            }

            if (count == 0)
            {
                count = (long)U64(ReadAt(tableOffset, SectionHeaderSize), 0x20); // Extended numbering: sh_size of section 0.
            }

            if (count > (Length - tableOffset) / SectionHeaderSize)
            {
                throw Truncated($"the section header table ({count} entries at offset {tableOffset})");
            }

            var table = ReadAt(tableOffset, (int)(count * SectionHeaderSize));
            var sections = new ElfSection[count];
            for (var i = 0; i < count; i++)
            {
                long at = i * SectionHeaderSize;
                sections[i] = new ElfSection(
                    i,
                    U32(table, at + 4),
                    (long)U64(table, at + 0x18),
                    (long)U64(table, at + 0x20),
                    U32(table, at + 0x28),
                    U32(table, at + 0x2c));
            }

            return sections;
        }

        private byte[] ReadAt(long offset, int count)
        {
            var buffer = new byte[count];
            stream.Position = offset;
            var read = 0;
            while (read < count)
            {
                var n = stream.Read(buffer, read, count - read);
                if (n == 0)
                {
                    throw Truncated($"{count} bytes at offset {offset}");
                }

                read += n;
            }

            return buffer;
        }

        private InvalidDataException Invalid(string problem) =>
            new InvalidDataException($"'{Path}' cannot be read as an ELF64 little-endian file: {problem}.");

        private InvalidDataException Truncated(string what) =>
            new InvalidDataException($"'{Path}' is truncated: {what} extends past the end of the file ({Length} bytes).");
    }
}

/// <summary>The libstdc++.so.6 this system's dynamic loader would use, and the symbol versions it defines.</summary>
internal sealed class LibStdCxxInfo
{
    /// <summary>Describes a libstdc++.</summary>
    public LibStdCxxInfo(string path, IReadOnlyList<string> versions)
    {
        Path = path;
        Versions = versions;
    }

    /// <summary>Where it is.</summary>
    public string Path { get; }

    /// <summary>The version names it defines (GLIBCXX_*, CXXABI_*, ...).</summary>
    public IReadOnlyList<string> Versions { get; }

    /// <summary>The highest GLIBCXX_* version it defines, or null if none.</summary>
    public string? HighestGlibcxx => Versions
        .Where(v => v.StartsWith("GLIBCXX_", StringComparison.Ordinal))
        .Select(v => new { Name = v, Number = ParseVersion(v.Substring("GLIBCXX_".Length)) })
        .Where(v => v.Number != null)
        .OrderBy(v => v.Number)
        .Select(v => v.Name)
        .LastOrDefault();

    /// <summary>Whether it defines <paramref name="version"/>.</summary>
    public bool Provides(string version) => Versions.Contains(version);

    /// <summary>
    /// Finds the libstdc++.so.6 the dynamic loader would use: the one already mapped into this process
    /// (<c>/proc/self/maps</c>), else the first in LD_LIBRARY_PATH and the standard library folders that is a
    /// readable ELF64 file. Null if there is none (or not on Linux).
    /// </summary>
    public static LibStdCxxInfo? FindSystem()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return null;
        }

        foreach (var candidate in Candidates())
        {
            try
            {
                if (File.Exists(candidate))
                {
                    return new LibStdCxxInfo(candidate, ElfVersionNeedPatcher.ReadVersionDefinitions(candidate));
                }
            }
            catch (InvalidDataException)
            {
                // A 32-bit or foreign library in a multilib folder: not the one a 64-bit process loads.
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return null;
    }

    private static readonly char[] PathSeparator = { ':' };

    private static IEnumerable<string> Candidates()
    {
        const string Name = LibTorchSharpNative.LibStdCxx;
        string[] maps;
        try
        {
            maps = File.ReadAllLines("/proc/self/maps");
        }
        catch (IOException)
        {
            maps = Array.Empty<string>();
        }
        catch (UnauthorizedAccessException)
        {
            maps = Array.Empty<string>();
        }

        foreach (var line in maps)
        {
            // "<range> <perms> <offset> <dev> <inode>   /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30"
            var slash = line.IndexOf('/');
            if (slash >= 0 && System.IO.Path.GetFileName(line.Substring(slash)).StartsWith(Name, StringComparison.Ordinal))
            {
                yield return line.Substring(slash);
            }
        }

        var libraryPath = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "";
        foreach (var folder in libraryPath.Split(PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return System.IO.Path.Combine(folder, Name);
        }

        var triplet = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
        foreach (var folder in new[] { "/lib/" + triplet, "/usr/lib/" + triplet, "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib" })
        {
            yield return System.IO.Path.Combine(folder, Name);
        }
    }

    private static Version? ParseVersion(string text) =>
        System.Version.TryParse(text, out var version) ? version : null;
}

/// <summary>
/// TorchSharp's native library (<c>libLibTorchSharp.so</c>) and the one fix this project applies to it.
/// </summary>
/// <remarks>
/// TorchSharp-cpu 0.107.0's <c>libLibTorchSharp.so</c> was linked with GCC 13 and so needs GLIBCXX_3.4.32 from
/// libstdc++.so.6. Older systems (Debian 12: up to GLIBCXX_3.4.30) refuse to load it. The only symbol under that
/// version is <c>std::ios_base_library_init</c>, which GCC 13's &lt;iostream&gt; references only so that static
/// linking pulls in the iostream initialiser; nothing calls or relocates against it (<see cref="ElfVersionNeedPatcher.MarkWeak"/>
/// verifies this in the file before it writes). Marking that single requirement weak makes the file load on
/// such systems. Nothing else is ever weakened: a file that needs any other missing version is left as it is.
/// </remarks>
internal static class LibTorchSharpNative
{
    /// <summary>The file name of TorchSharp's native library on Linux.</summary>
    public const string FileName = "libLibTorchSharp.so";

    /// <summary>The soname of the C++ standard library.</summary>
    public const string LibStdCxx = "libstdc++.so.6";

    /// <summary>The only version this project ever marks weak.</summary>
    public const string AnchorVersion = "GLIBCXX_3.4.32";

    /// <summary>The runtime identifier TorchSharp uses for native assets on this machine.</summary>
    public static string Rid => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";

    /// <summary>Whether the system lacks <see cref="AnchorVersion"/>, so copies should be patched.</summary>
    public static bool SystemNeedsPatch(LibStdCxxInfo? system) => system != null && !system.Provides(AnchorVersion);

    /// <summary>Marks <see cref="AnchorVersion"/> weak in one copy (see <see cref="ElfVersionNeedPatcher.MarkWeak"/>).</summary>
    public static VersionNeedPatchOutcome Patch(string path) => ElfVersionNeedPatcher.MarkWeak(path, LibStdCxx, AnchorVersion);

    /// <summary>
    /// Existing copies in an application or assembly folder: the folder itself, its
    /// <c>runtimes/&lt;rid&gt;/native</c> and the <c>cpu</c> folder TorchSharp consolidates natives into.
    /// </summary>
    public static IEnumerable<string> CopiesInFolder(string folder) =>
        Existing(new[]
        {
            Path.Combine(folder, FileName),
            Path.Combine(folder, "runtimes", Rid, "native", FileName),
            Path.Combine(folder, "cpu", FileName),
        });

    /// <summary>
    /// Existing copies in an extracted torchsharp NuGet package folder (<c>…/torchsharp/&lt;version&gt;</c>):
    /// <c>runtimes/&lt;rid&gt;/native</c> and every <c>lib/&lt;tfm&gt;/cpu</c> (the notebook fallback).
    /// </summary>
    public static IEnumerable<string> CopiesInPackage(string packageFolder)
    {
        var candidates = new List<string> { Path.Combine(packageFolder, "runtimes", Rid, "native", FileName) };
        var lib = Path.Combine(packageFolder, "lib");
        if (Directory.Exists(lib))
        {
            candidates.AddRange(Directory.GetDirectories(lib).Select(tfm => Path.Combine(tfm, "cpu", FileName)));
        }

        return Existing(candidates);
    }

    /// <summary>The package folder of a copy at <c>&lt;package&gt;/runtimes/&lt;rid&gt;/native/</c>, else null.</summary>
    public static string? PackageFolderOf(string nativeFile)
    {
        var native = Path.GetDirectoryName(Path.GetFullPath(nativeFile));
        var rid = native is null ? null : Path.GetDirectoryName(native);
        var runtimes = rid is null ? null : Path.GetDirectoryName(rid);
        return native != null && runtimes != null
            && Path.GetFileName(native) == "native" && Path.GetFileName(runtimes) == "runtimes"
            ? Path.GetDirectoryName(runtimes)
            : null;
    }

    private static List<string> Existing(IEnumerable<string> paths) =>
        paths.Select(Path.GetFullPath).Where(File.Exists).Distinct(StringComparer.Ordinal).ToList();
}

#if !NET
/// <summary>
/// MSBuild task (compiled only by RoslynCodeTaskFactory): marks GLIBCXX_3.4.32 weak in copies of
/// libLibTorchSharp.so when this system's libstdc++ lacks it. Never fails the build on a missing or
/// unwritable file; logs a warning only for a copy that looks wrong or really needs the version.
/// </summary>
public sealed class PatchLibTorchSharpForSystemLibStdCxx : Microsoft.Build.Utilities.Task
{
    private static readonly object Gate = new object();
    private static LibStdCxxInfo? system;
    private static bool systemKnown;

    /// <summary>Copies resolved from packages (e.g. the NuGet cache's runtimes/linux-x64/native file).</summary>
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = new Microsoft.Build.Framework.ITaskItem[0];

    /// <summary>Output folders whose copies (runtimes/&lt;rid&gt;/native, cpu) are patched as well.</summary>
    public string[] Folders { get; set; } = new string[0];

    /// <inheritdoc />
    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return true;
        }

        LibStdCxxInfo? info;
        lock (Gate)
        {
            if (!systemKnown)
            {
                system = LibStdCxxInfo.FindSystem();
                systemKnown = true;
            }

            info = system;
        }

        if (!LibTorchSharpNative.SystemNeedsPatch(info))
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                info is null
                    ? "Studying.DeepLearning: no system libstdc++.so.6 found; libLibTorchSharp.so left as is."
                    : $"Studying.DeepLearning: {info.Path} provides {LibTorchSharpNative.AnchorVersion}; libLibTorchSharp.so left as is.");
            return true;
        }

        var copies = new List<string>();
        foreach (var file in Files.Select(f => f.GetMetadata("FullPath")).Where(File.Exists))
        {
            copies.Add(file);
            var package = LibTorchSharpNative.PackageFolderOf(file);
            if (package != null)
            {
                copies.AddRange(LibTorchSharpNative.CopiesInPackage(package));
            }
        }

        foreach (var folder in Folders.Where(Directory.Exists))
        {
            copies.AddRange(LibTorchSharpNative.CopiesInFolder(folder));
        }

        foreach (var copy in copies.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
        {
            try
            {
                var outcome = LibTorchSharpNative.Patch(copy);
                Log.LogMessage(
                    outcome == VersionNeedPatchOutcome.Patched ? Microsoft.Build.Framework.MessageImportance.Normal : Microsoft.Build.Framework.MessageImportance.Low,
                    $"Studying.DeepLearning: {copy}: {outcome} ({LibTorchSharpNative.AnchorVersion} from {LibTorchSharpNative.LibStdCxx}; system {info!.Path} provides up to {info.HighestGlibcxx}).");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"Studying.DeepLearning: could not patch {copy}: {e.Message}");
            }
            catch (Exception e) when (e is InvalidDataException || e is InvalidOperationException)
            {
                Log.LogWarning(null, "SDLNATIVE001", null, null, copy, 0, 0, 0, 0,
                    $"libLibTorchSharp.so cannot be made loadable on this system ({info!.Path} provides up to {info.HighestGlibcxx}): {e.Message}");
            }
        }

        return true;
    }
}
#endif
