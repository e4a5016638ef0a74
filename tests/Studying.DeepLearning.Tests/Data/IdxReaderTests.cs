using Studying.DeepLearning.Classification;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.Tests.Infrastructure;

namespace Studying.DeepLearning.Tests.Data;

[Trait("Tier", "unit")]
public class IdxReaderTests
{
    private static readonly string[] Ten = [.. Enumerable.Range(0, 10).Select(i => $"c{i}")];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_GoodFiles_GivesEveryPixelAndLabel(bool gzip)
    {
        using var dir = new TempFolder();
        var images = IdxFiles.Images(4, 3, 5, IdxFiles.Pixel);
        var labels = IdxFiles.Labels([3, 0, 9, 7]);
        File.WriteAllBytes(dir.File("i"), gzip ? IdxFiles.Gzip(images) : images);
        File.WriteAllBytes(dir.File("l"), gzip ? IdxFiles.Gzip(labels) : labels);

        var data = IdxReader.Read(dir.File("i"), dir.File("l"), Ten, "tiny");

        Assert.Equal((4, 1, 3, 5), (data.Count, data.Channels, data.Height, data.Width));
        Assert.Equal([3, 0, 9, 7], data.Labels);
        for (var i = 0; i < 4; i++)
            for (var y = 0; y < 3; y++)
                for (var x = 0; x < 5; x++)
                    Assert.Equal(IdxFiles.Pixel(i, y, x), data.Pixels[(i * 3 + y) * 5 + x]);
    }

    [Fact]
    public void ReadImages_BadMagic_NamesFileAndOffsetZero()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("i.gz"), IdxFiles.Gzip(IdxFiles.Images(2, 2, 2, IdxFiles.Pixel, magic: 0x801)));
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(dir.File("i.gz")));
        Assert.Contains(dir.File("i.gz"), e.Message, StringComparison.Ordinal);
        Assert.Contains("0x00000801 at offset 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("labels file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadImages_Truncated_SaysWhereItEnds()
    {
        using var dir = new TempFolder();
        var images = IdxFiles.Images(3, 4, 4, IdxFiles.Pixel);
        File.WriteAllBytes(dir.File("i.gz"), IdxFiles.Gzip(images[..^5])); // 16 + 48 − 5 = 59 bytes
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(dir.File("i.gz")));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Contains("offset 59", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadImages_TruncatedInsideHeader_SaysSo()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("i"), IdxFiles.Images(1, 2, 2, IdxFiles.Pixel)[..10]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(dir.File("i")));
        Assert.Contains("offset 10, inside the 16-byte", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadLabels_HeaderCountSmallerThanContent_ReportsExtraBytes()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("l"), IdxFiles.Labels([1, 2, 3], headerCount: 2));
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(dir.File("l")));
        Assert.Contains("bytes after offset 10", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LabelAndImageCountsDiffer_NamesBothFiles()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("i"), IdxFiles.Images(3, 2, 2, IdxFiles.Pixel));
        File.WriteAllBytes(dir.File("l"), IdxFiles.Labels([1, 2]));
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(dir.File("i"), dir.File("l"), Ten, "x"));
        Assert.Contains("2 labels", e.Message, StringComparison.Ordinal);
        Assert.Contains("3 images", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LabelTenOrMore_NamesOffset()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("i"), IdxFiles.Images(3, 2, 2, IdxFiles.Pixel));
        File.WriteAllBytes(dir.File("l"), IdxFiles.Labels([1, 10, 2]));
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(dir.File("i"), dir.File("l"), Ten, "x"));
        Assert.Contains("label 10 at offset 9 (label 1)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadImages_CorruptGzip_IsAnInvalidDataErrorNamingTheFile()
    {
        using var dir = new TempFolder();
        var gz = IdxFiles.Gzip(IdxFiles.Images(50, 8, 8, IdxFiles.Pixel));
        for (var i = 20; i < gz.Length - 8; i++)
            gz[i] ^= 0x5A;
        File.WriteAllBytes(dir.File("i.gz"), gz);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(dir.File("i.gz")));
        Assert.Contains(dir.File("i.gz"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToTensor_ScalesToUnitRangeAndNormalises()
    {
        byte[] pixels = [.. Enumerable.Range(0, 2 * 2 * 3 * 7).Select(i => (byte)(i * 3))];
        var data = new ImageDataSet("t", pixels, [0, 1], 2, 3, 7, ["a", "b"]);
        using var plain = data.ToTensor();
        var unit = plain.data<float>().ToArray();
        for (var i = 0; i < pixels.Length; i++)
            Assert.Equal(pixels[i] / 255.0, unit[i], 1e-6);
        using var normalised = data.ToTensor([0.5, 0.25], [2.0, 0.5]);
        var values = normalised.data<float>().ToArray();
        for (var i = 0; i < pixels.Length; i++)
        {
            var channel = i / 21 % 2;
            var expected = (pixels[i] / 255.0 - (channel == 0 ? 0.5 : 0.25)) / (channel == 0 ? 2.0 : 0.5);
            Assert.Equal(expected, values[i], 1e-5);
        }
    }
}
