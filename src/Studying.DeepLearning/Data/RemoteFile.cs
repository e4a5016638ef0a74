namespace Studying.DeepLearning.Data;

/// <summary>A hash algorithm a downloaded file is checked with.</summary>
public enum HashKind
{
    /// <summary>SHA-256.</summary>
    Sha256,

    /// <summary>MD5: used only where a data set's publishers give nothing stronger (an integrity check, not security).</summary>
    Md5,
}

/// <summary>A file a data set needs, where to download it (mirrors in order) and the hash it must have.</summary>
/// <param name="FileName">The file's name in the data set's folder.</param>
/// <param name="Urls">Official location first, then mirrors.</param>
/// <param name="Hash">The expected hash, lower-case hex.</param>
/// <param name="HashKind">The algorithm of <paramref name="Hash"/>.</param>
public sealed record RemoteFile(string FileName, IReadOnlyList<Uri> Urls, string Hash, HashKind HashKind);
