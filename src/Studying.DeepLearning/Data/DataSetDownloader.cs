using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Studying.DeepLearning.Data;

/// <summary>
/// Downloads data-set files whole or not at all: into a temporary file in the target folder, hashed while it
/// arrives, renamed to its name only after the hash matches. A failed, interrupted or wrong download leaves no file.
/// </summary>
/// <param name="client">The HTTP client to use (tests pass one over a fake handler).</param>
public sealed class DataSetDownloader(HttpClient client)
{
    /// <summary>Downloads <paramref name="file"/> into <paramref name="folder"/>, trying its URLs in order.</summary>
    /// <param name="file">What to download and the hash it must have.</param>
    /// <param name="folder">The folder to put it in (created if missing).</param>
    /// <param name="progress">Reports lines such as "downloading … from …".</param>
    /// <param name="cancellationToken">Stops the download; the partial file is deleted.</param>
    /// <returns>The path of the verified file.</returns>
    /// <exception cref="IOException">Every URL failed; the message lists why, including hash mismatches.</exception>
    public async Task<string> DownloadAsync(RemoteFile file, string folder, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, file.FileName);
        var failures = new List<string>();
        foreach (var url in file.Urls)
        {
            var temporary = Path.Combine(folder, $".{file.FileName}.{Guid.NewGuid():N}.part");
            try
            {
                progress?.Report($"downloading {file.FileName} from {url}");
                var hash = await FetchAsync(url, temporary, file.HashKind, cancellationToken).ConfigureAwait(false);
                if (!string.Equals(hash, file.Hash, StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add($"{url}: {Name(file.HashKind)} is {hash} but {file.Hash} was expected (corrupt or different file)");
                    continue;
                }
                File.Move(temporary, target, overwrite: true);
                return target;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException || e is TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{url}: {e.Message}");
            }
            finally
            {
                if (File.Exists(temporary))
                    File.Delete(temporary);
            }
        }
        throw new IOException($"Could not download {file.FileName} into {folder}: {string.Join("; ", failures)}. "
            + $"Put the file there yourself (its {Name(file.HashKind)} must be {file.Hash}), or point STUDYDL_DATA at a folder that has it.");
    }

    /// <summary>The hex hash of a file.</summary>
    public static string HashFile(string path, HashKind kind)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(kind == HashKind.Sha256 ? SHA256.HashData(stream) : Md5(stream));
    }

    private async Task<string> FetchAsync(Uri url, string temporary, HashKind kind, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var hash = IncrementalHash.CreateHash(kind == HashKind.Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.MD5);
        var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (output.ConfigureAwait(false))
            {
                var buffer = new byte[1 << 16];
                long total = 0;
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    total += read;
                }
                if (response.Content.Headers.ContentLength is { } length && length != total)
                    throw new IOException($"the connection ended after {total} of {length} bytes");
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "Checks a download against the MD5 its publishers give; integrity, not security.")]
    private static byte[] Md5(Stream stream) => MD5.HashData(stream);

    private static string Name(HashKind kind) => kind == HashKind.Sha256 ? "SHA-256" : "MD5";
}
