using System.Security.Cryptography;

namespace Studying.DeepLearning.Data;

/// <summary>A data file a run read, as a report records it: full path, size and SHA-256, so a result can be traced to its exact input.</summary>
/// <param name="Path">The full path.</param>
/// <param name="Bytes">The file's size in bytes.</param>
/// <param name="Sha256">The SHA-256 of the file's bytes, lower-case hexadecimal.</param>
public sealed record DataFile(string Path, long Bytes, string Sha256)
{
    /// <summary>Hashes a file once, streaming (the file is never held in memory whole).</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static DataFile Of(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var hash = SHA256.HashData(stream);
        return new DataFile(full, stream.Length, Convert.ToHexStringLower(hash));
    }
}
