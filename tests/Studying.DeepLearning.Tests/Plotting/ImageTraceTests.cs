using System.Text.Json;
using System.Text.RegularExpressions;
using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Tests.Plotting;

[Trait("Tier", "unit")]
public class ImageTraceTests
{
    [Fact]
    public void ImageTrace_RendersRowsOfRgbPixels_AndCustomTicks()
    {
        // 2 × 3 pixels: row 0 red, green, blue; row 1 white, black, grey.
        byte[] rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 128, 128];
        var figure = new Figure("pixels", new ImageTrace("grid", 3, 2, rgb)) { XAxis = new Axis { Ticks = [(0, "red"), (2, "blue")] } };

        var html = figure.ToHtml();

        using var data = JsonDocument.Parse(Variable(html, "data"));
        var trace = Assert.Single(data.RootElement.EnumerateArray());
        Assert.Equal("image", trace.GetProperty("type").GetString());
        var source = trace.GetProperty("source").GetString()!;
        Assert.StartsWith("data:image/png;base64,", source, StringComparison.Ordinal);
        Assert.Equal(rgb, DecodePng(Convert.FromBase64String(source["data:image/png;base64,".Length..]), out var width, out var height));
        Assert.Equal((3, 2), (width, height));
        using var layout = JsonDocument.Parse(Variable(html, "layout"));
        var xaxis = layout.RootElement.GetProperty("xaxis");
        Assert.Equal(["red", "blue"], xaxis.GetProperty("ticktext").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal([0.0, 2.0], xaxis.GetProperty("tickvals").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public void ImageTrace_WithTheWrongNumberOfBytes_IsRejected()
    {
        var figure = new Figure("bad", new ImageTrace("grid", 3, 2, new byte[17]));

        var error = Assert.Throws<ArgumentException>(() => figure.ToHtml());
        Assert.Contains("needs 18 RGB bytes, but has 17", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageTrace_OfAGridOfImages_TravelsAsAFewKilobytesOfPng()
    {
        // 8 images of 32×32 side by side with smooth content, as an augmentation grid is: as a JSON array of every
        // pixel this was over 100,000 characters; as a PNG source it is a few kilobytes.
        var rgb = new byte[256 * 32 * 3];
        for (var i = 0; i < rgb.Length; i++)
            rgb[i] = (byte)(i / 3 % 256);
        var html = new Figure("grid", new ImageTrace("grid", 256, 32, rgb)).ToHtml();

        Assert.True(html.Length < 20_000, $"{html.Length} characters");
    }

    // A minimal PNG reader written from the specification, independent of the encoder: chunks with their CRCs
    // (bit by bit), IHDR, the concatenated IDAT stream inflated, filter type 0 on each row.
    private static byte[] DecodePng(byte[] png, out int width, out int height)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        width = height = 0;
        var idat = new MemoryStream();
        var at = 8;
        while (at < png.Length)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            var crc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            Assert.Equal(BitwiseCrc32(png.AsSpan(at + 4, 4 + length)), crc);
            if (type == "IHDR")
            {
                width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data);
                height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(new byte[] { 8, 2, 0, 0, 0 }, data[8..].ToArray()); // 8-bit RGB, deflate, filter method 0, no interlace
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            at += 12 + length;
        }
        idat.Position = 0;
        using var inflate = new System.IO.Compression.ZLibStream(idat, System.IO.Compression.CompressionMode.Decompress);
        var raw = new MemoryStream();
        inflate.CopyTo(raw);
        var bytes = raw.ToArray();
        var pixels = new List<byte>();
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(0, bytes[y * (1 + width * 3)]);
            pixels.AddRange(bytes.AsSpan(y * (1 + width * 3) + 1, width * 3).ToArray());
        }
        return [.. pixels];
    }

    private static uint BitwiseCrc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }

    private static string Variable(string html, string name)
    {
        var match = Regex.Match(html, $@"var {name} = (.*?);\r?\n", RegexOptions.Singleline);
        Assert.True(match.Success, $"no 'var {name} = ...;' in the chart script");
        return match.Groups[1].Value;
    }
}
