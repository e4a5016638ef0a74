using Studying.DeepLearning.Plotting;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Classification;

/// <summary>
/// Two-dimensional maps (an image, a convolution's output, a gradient) drawn side by side as grey pictures, each with
/// its label underneath — to see what a kernel does to an image, or which input pixels an output depends on.
/// </summary>
public static class FeatureMapChart
{
    /// <summary>
    /// Draws each map as a grey picture, scaled on its own: a map with a negative value maps 0 to mid-grey, +max|v| to
    /// white and −max|v| to black (so the sign of an edge response shows); a map without one maps its minimum to black
    /// and its maximum to white. A constant map is drawn black. Maps of different sizes are aligned at the top.
    /// </summary>
    /// <param name="title">The chart's title.</param>
    /// <param name="maps">Labels and 2-D tensors [height, width] (any real element type; not disposed here).</param>
    /// <exception cref="ArgumentException">No maps, a map that is not 2-D or empty, or a non-finite value.</exception>
    public static Figure Draw(string title, params (string Label, Tensor Map)[] maps)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.Length == 0)
            throw new ArgumentException("Give at least one map to draw.", nameof(maps));
        const int Border = 2;
        var grids = new List<(string Label, int Height, int Width, double[] Values)>();
        foreach (var (label, map) in maps)
        {
            ArgumentNullException.ThrowIfNull(map);
            if (map.dim() != 2 || map.shape[0] < 1 || map.shape[1] < 1)
                throw new ArgumentException($"The map '{label}' has shape [{string.Join(", ", map.shape)}]; draw 2-D maps [height, width] (select one channel with map[0] or map[0, 0]).", nameof(maps));
            using var values = map.detach().to(CPU).to_type(ScalarType.Float64).contiguous();
            var data = values.data<double>().ToArray();
            if (data.Any(v => !double.IsFinite(v)))
                throw new ArgumentException($"The map '{label}' holds a NaN or infinite value.", nameof(maps));
            grids.Add((label, (int)map.shape[0], (int)map.shape[1], data));
        }

        var width = Border + grids.Sum(g => g.Width + Border);
        var height = Border + grids.Max(g => g.Height) + Border;
        var canvas = new ImageCanvas(width, height);
        var ticks = new List<(double, string)>();
        var left = Border;
        foreach (var (label, h, w, values) in grids)
        {
            var min = values.Min();
            var max = values.Max();
            var signed = min < 0;
            var scale = signed ? Math.Max(-min, max) : max - min;
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var v = values[y * w + x];
                    var grey = scale == 0 ? 0 : signed ? 127.5 + 127.5 * v / scale : 255 * (v - min) / scale;
                    var level = (byte)Math.Clamp(Math.Round(grey), 0, 255);
                    canvas.Set(left + x, Border + y, level, level, level);
                }
            }
            ticks.Add((left + w / 2.0, label));
            left += w + Border;
        }

        return new Figure(title, canvas.ToTrace(title))
        {
            XAxis = new Axis { Ticks = ticks },
            YAxis = new Axis { Ticks = [] },
            Width = Math.Clamp(width * 8, 400, 1100),
            Height = Math.Clamp(height * 8, 250, 500) + 120,
        };
    }
}
