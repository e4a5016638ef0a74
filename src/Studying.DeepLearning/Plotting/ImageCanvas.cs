namespace Studying.DeepLearning.Plotting;

/// <summary>
/// An RGB picture on a white background that the image charts (sample grids, galleries, feature maps, weight
/// pictures) paste their tiles into; <see cref="ToTrace"/> hands it to a <see cref="Figure"/>.
/// </summary>
internal sealed class ImageCanvas
{
    private readonly byte[] rgb;

    /// <summary>A white canvas of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public ImageCanvas(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        rgb = new byte[checked(width * height * 3)];
        Array.Fill(rgb, (byte)255);
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>
    /// Copies one image stored plane by plane (grey: one plane; RGB: red, green, blue planes, as
    /// <see cref="Data.ImageDataSet.Pixels"/> holds them) with its top-left pixel at (<paramref name="left"/>, <paramref name="top"/>).
    /// </summary>
    public void Paste(ReadOnlySpan<byte> planes, int channels, int height, int width, int left, int top)
    {
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Paste grey (1) or RGB (3) images.");
        if (planes.Length != channels * height * width)
            throw new ArgumentException($"{planes.Length} bytes do not hold a {channels}×{height}×{width} image.", nameof(planes));
        if (left < 0 || top < 0 || left + width > Width || top + height > Height)
            throw new ArgumentOutOfRangeException(nameof(left), $"A {width}×{height} image at ({left}, {top}) does not fit a {Width}×{Height} canvas.");
        var plane = height * width;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var at = ((top + y) * Width + left + x) * 3;
                for (var c = 0; c < 3; c++)
                    rgb[at + c] = planes[(channels == 1 ? 0 : c * plane) + y * width + x];
            }
        }
    }

    /// <summary>Sets the pixel in column <paramref name="x"/> of row <paramref name="y"/>.</summary>
    public void Set(int x, int y, byte red, byte green, byte blue)
    {
        var at = (y * Width + x) * 3;
        (rgb[at], rgb[at + 1], rgb[at + 2]) = (red, green, blue);
    }

    /// <summary>The canvas as an image trace (the trace keeps this canvas's pixels; paste nothing afterwards).</summary>
    public ImageTrace ToTrace(string name) => new(name, Width, Height, rgb);
}

/// <summary>
/// The layout of equal tiles in <paramref name="Columns"/> × <paramref name="Rows"/> cells with
/// <paramref name="Border"/> white pixels around and between them.
/// </summary>
internal readonly record struct TileGrid(int Columns, int Rows, int TileWidth, int TileHeight, int Border)
{
    /// <summary>The picture's width in pixels.</summary>
    public int Width => Columns * (TileWidth + Border) + Border;

    /// <summary>The picture's height in pixels.</summary>
    public int Height => Rows * (TileHeight + Border) + Border;

    /// <summary>The first pixel column of the tiles in <paramref name="column"/>.</summary>
    public int Left(int column) => Border + column * (TileWidth + Border);

    /// <summary>The first pixel row of the tiles in <paramref name="row"/>.</summary>
    public int Top(int row) => Border + row * (TileHeight + Border);

    /// <summary>The horizontal centre of <paramref name="column"/>, where its axis label goes.</summary>
    public double Centre(int column) => Left(column) + TileWidth / 2.0;

    /// <summary>A white canvas of this grid's size.</summary>
    public ImageCanvas NewCanvas() => new(Width, Height);
}
