using System.Net;
using System.Security.Cryptography;
using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Tests.Infrastructure;

namespace Studying.DeepLearning.Tests.Data;

[Trait("Tier", "unit")]
public class DataSetDownloaderTests
{
    private static readonly byte[] Content = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7))];

    /// <summary>Serves fixed bytes per URL; can cut the body off after some bytes, or answer with an error status.</summary>
    private sealed class FakeHandler(Func<Uri, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(respond(request.RequestUri!));
        }
    }

    /// <summary>A body that delivers some bytes and then fails like a dropped connection.</summary>
    private sealed class BrokenStream(byte[] bytes, int failAfter) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            Position >= failAfter ? throw new IOException("connection reset") : base.Read(buffer, offset, Math.Min(count, failAfter - (int)Position));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var array = new byte[buffer.Length];
            var n = Read(array, 0, array.Length);
            array.AsSpan(0, n).CopyTo(buffer.Span);
            return ValueTask.FromResult(n);
        }
    }

    private static HttpResponseMessage Ok(byte[] body) => new(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };

    private static RemoteFile File(string hash, HashKind kind = HashKind.Sha256, params string[] urls) =>
        new("data.bin", urls.Length == 0 ? [new Uri("https://example.test/data.bin")] : [.. urls.Select(u => new Uri(u))], hash, kind);

    private static string Sha(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));

    [Theory]
    [InlineData(HashKind.Sha256)]
    [InlineData(HashKind.Md5)]
    public async Task GoodBytes_FileAppearsWithThatContentAndNoTemporaryFile(HashKind kind)
    {
        using var dir = new TempFolder();
#pragma warning disable CA5351 // the MD5 a publisher gives, checked for integrity
        var hash = kind == HashKind.Sha256 ? Sha(Content) : Convert.ToHexStringLower(MD5.HashData(Content));
#pragma warning restore CA5351
        using var client = new HttpClient(new FakeHandler(_ => Ok(Content)));

        var path = await new DataSetDownloader(client).DownloadAsync(File(hash, kind), dir.Path);

        Assert.Equal(dir.File("data.bin"), path);
        Assert.Equal(Content, System.IO.File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task BadHash_NoFileAndAClearError()
    {
        using var dir = new TempFolder();
        using var client = new HttpClient(new FakeHandler(_ => Ok(Content)));
        var wrong = new string('0', 64);

        var e = await Assert.ThrowsAsync<IOException>(() => new DataSetDownloader(client).DownloadAsync(File(wrong), dir.Path));

        Assert.Contains($"SHA-256 is {Sha(Content)} but {wrong} was expected", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Interrupted_NoFileLeftBehind()
    {
        using var dir = new TempFolder();
        using var client = new HttpClient(new FakeHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new BrokenStream(Content, 100_000)) }));

        var e = await Assert.ThrowsAsync<IOException>(() => new DataSetDownloader(client).DownloadAsync(File(Sha(Content)), dir.Path));

        Assert.Contains("connection reset", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task ShortBody_ComparedWithContentLength_NoFile()
    {
        using var dir = new TempFolder();
        using var client = new HttpClient(new FakeHandler(_ =>
        {
            var content = new ByteArrayContent(Content[..1000]);
            content.Headers.ContentLength = Content.Length;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }));

        await Assert.ThrowsAnyAsync<Exception>(() => new DataSetDownloader(client).DownloadAsync(File(Sha(Content[..1000])), dir.Path));

        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task FirstMirrorFails_SecondIsUsed()
    {
        using var dir = new TempFolder();
        var handler = new FakeHandler(u => u.Host == "bad.test" ? new HttpResponseMessage(HttpStatusCode.NotFound) : Ok(Content));
        using var client = new HttpClient(handler);

        await new DataSetDownloader(client).DownloadAsync(File(Sha(Content), HashKind.Sha256, "https://bad.test/a", "https://good.test/a"), dir.Path);

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(Content, System.IO.File.ReadAllBytes(dir.File("data.bin")));
    }

    [Fact]
    public void Locate_SearchOrder_ExplicitThenEnvironmentThenCacheThenSystem()
    {
        using var dir = new TempFolder();
        var files = new[] { File("x") };
        string Root(string name) => Path.Combine(dir.Path, name);
        var sources = new DataSetSources(Root("explicit"), Root("env"), Root("cache"), Root("system"), AllowDownload: false);
        Assert.Equal([Root("explicit"), Path.Combine(Root("env"), "ds"), Path.Combine(Root("cache"), "ds"), Path.Combine(Root("system"), "ds")], sources.Candidates("ds"));

        var missing = Assert.Throws<FileNotFoundException>(() => sources.Locate("ds", files));
        Assert.Contains("downloading is off", missing.Message, StringComparison.Ordinal);

        foreach (var folder in sources.Candidates("ds").Reverse())
        {
            Directory.CreateDirectory(folder);
            System.IO.File.WriteAllText(Path.Combine(folder, "data.bin"), "x");
            Assert.Equal(folder, sources.Locate("ds", files));
        }
    }

    [Fact]
    public void Locate_NotFound_DownloadsIntoTheCacheFolder_ThenReadsAFashionMnistShapedSet()
    {
        using var dir = new TempFolder();
        using var source = new TempFolder();
        IdxFiles.WriteDataSet(source.Path);
        var served = IdxDataSet.FashionMnist.Files.ToDictionary(f => f.FileName, f => System.IO.File.ReadAllBytes(source.File(f.FileName)));
        var files = IdxDataSet.FashionMnist.Files.Select(f => f with { Hash = Sha(served[f.FileName]), HashKind = HashKind.Sha256 }).ToArray();
        var handler = new FakeHandler(u => Ok(served[Path.GetFileName(u.AbsolutePath)]));
        using var client = new HttpClient(handler);
        var sources = new DataSetSources(null, null, Path.Combine(dir.Path, "cache"), null, AllowDownload: true, client);

        var folder = sources.Locate("fashion-mnist", files);

        Assert.Equal(Path.Combine(dir.Path, "cache", "fashion-mnist"), folder);
        Assert.Equal(4, handler.Requests.Count);
        Assert.All(handler.Requests, u => Assert.Equal("fashion-mnist.s3-website.eu-central-1.amazonaws.com", u.Host));
        var splits = IdxDataSet.FashionMnist.Read(folder);
        Assert.Equal((5, 3), (splits.Train.Count, splits.Test.Count));
        Assert.Equal([9, 8, 7], splits.Test.Labels);

        sources.Locate("fashion-mnist", files); // now found in the cache: nothing downloaded again
        Assert.Equal(4, handler.Requests.Count);
    }
}
