using Studying.DeepLearning.Plotting.Wire;

namespace Studying.DeepLearning.Plotting;

/// <summary>
/// Checks a <see cref="Figure"/> and turns it into the <see cref="FigureWire"/> sent to the renderer, so that a bad
/// figure fails here with a message naming the trace, not somewhere inside Plotly.NET or plotly.js.
/// NaN is allowed in values (y, z, bar heights) and drawn as a gap; coordinates and grid axes must be finite;
/// infinities are rejected everywhere.
/// </summary>
internal static class FigureWireMapping
{
    /// <summary>Validates the figure and converts it.</summary>
    /// <param name="figure">The figure to render.</param>
    /// <exception cref="ArgumentException">The figure is not drawable; the message says which trace and why.</exception>
    public static FigureWire ToWire(Figure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        if (figure.Traces is null)
        {
            throw new ArgumentException($"Figure '{figure.Title}' has no trace list (Traces is null).", nameof(figure));
        }

        CheckSize(figure.Width, nameof(Figure.Width));
        CheckSize(figure.Height, nameof(Figure.Height));
        var traces = new List<TraceWire>(figure.Traces.Count);
        for (var i = 0; i < figure.Traces.Count; i++)
        {
            var trace = figure.Traces[i] ?? throw new ArgumentException($"Trace #{i} of figure '{figure.Title}' is null.", nameof(figure));
            traces.Add(ToWire(trace, $"Trace '{trace.Name}' (#{i})"));
        }

        return new FigureWire(
            figure.Title ?? string.Empty,
            ToWire(figure.XAxis, "x"),
            ToWire(figure.YAxis, "y"),
            figure.Width,
            figure.Height,
            traces);
    }

    private static TraceWire ToWire(Trace trace, string label) => trace switch
    {
        ScatterTrace s => Scatter(s, label),
        ContourTrace c => new TraceWire(
            TraceWire.ContourTraceKind,
            c.Name ?? string.Empty,
            X: Coordinates(c.X, label, "X"),
            Y: Coordinates(c.Y, label, "Y"),
            Z: Grid(c.Z, Required(c.X, label, "X").Count, Required(c.Y, label, "Y").Count, label)),
        HeatmapTrace h => new TraceWire(
            TraceWire.HeatmapTraceKind,
            h.Name ?? string.Empty,
            XLabels: Labels(h.X, label, "X"),
            YLabels: Labels(h.Y, label, "Y"),
            Z: Grid(h.Z, Required(h.X, label, "X").Count, Required(h.Y, label, "Y").Count, label)),
        BarTrace b => Bar(b, label),
        ImageTrace image => Image(image, label),
        _ => throw new ArgumentException($"{label} is a {trace.GetType().Name}, which cannot be drawn.", nameof(trace)),
    };

    private static TraceWire Scatter(ScatterTrace trace, string label)
    {
        var x = Coordinates(trace.X, label, "X");
        var y = Values(trace.Y, label, "Y");
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"{label} has {x.Count} x values but {y.Count} y values; they must match.", nameof(trace));
        }

        var mode = trace.Mode switch
        {
            TraceMode.Lines => "lines",
            TraceMode.Markers => "markers",
            TraceMode.LinesAndMarkers => "lines+markers",
            _ => throw new ArgumentException($"{label} has the unknown mode {trace.Mode}.", nameof(trace)),
        };
        var dash = trace.Dash switch
        {
            LineDash.Solid => null,
            LineDash.Dash => "dash",
            LineDash.Dot => "dot",
            _ => throw new ArgumentException($"{label} has the unknown dash style {trace.Dash}.", nameof(trace)),
        };
        if (trace.Color is { } color && !IsHexColor(color))
        {
            throw new ArgumentException($"{label} has the colour '{color}'; write it as #RRGGBB, e.g. #1f77b4.", nameof(trace));
        }
        return new TraceWire(TraceWire.ScatterTraceKind, trace.Name ?? string.Empty, mode, x, y, Dash: dash, Color: trace.Color);
    }

    private static bool IsHexColor(string color) =>
        color.Length == 7 && color[0] == '#' && color.Skip(1).All(char.IsAsciiHexDigit);

    private static TraceWire Bar(BarTrace trace, string label)
    {
        var categories = Labels(trace.Categories, label, "Categories");
        var values = Values(trace.Values, label, "Values");
        if (categories.Count != values.Count)
        {
            throw new ArgumentException(
                $"{label} has {categories.Count} categories but {values.Count} values; they must match.", nameof(trace));
        }

        return new TraceWire(TraceWire.BarTraceKind, trace.Name ?? string.Empty, XLabels: categories, Y: values);
    }

    private static TraceWire Image(ImageTrace trace, string label)
    {
        var rgb = Required(trace.Rgb, label, "Rgb");
        if (trace.Width < 1 || trace.Height < 1 || rgb.Count != trace.Width * trace.Height * 3)
        {
            throw new ArgumentException(
                $"{label} is {trace.Width} × {trace.Height} pixels, which needs {Math.Max(trace.Width, 0) * Math.Max(trace.Height, 0) * 3} RGB bytes, but has {rgb.Count}.", nameof(trace));
        }

        // As a PNG data URI: a few kilobytes, where a JSON array of every pixel took hundreds.
        var png = Convert.ToBase64String(PngEncoder.Encode(trace.Width, trace.Height, rgb));
        return new TraceWire(TraceWire.ImageTraceKind, trace.Name ?? string.Empty, Source: "data:image/png;base64," + png);
    }

    private static AxisWire ToWire(Axis? axis, string which)
    {
        axis ??= new Axis();
        if (axis.Range is { } range)
        {
            if (!double.IsFinite(range.Min) || !double.IsFinite(range.Max) || range.Min >= range.Max)
            {
                throw new ArgumentException(
                    $"The {which} axis range [{range.Min}, {range.Max}] must be finite with min < max.", nameof(axis));
            }

            if (axis.Logarithmic && range.Min <= 0)
            {
                throw new ArgumentException(
                    $"The {which} axis is logarithmic, so its range [{range.Min}, {range.Max}] must be positive.", nameof(axis));
            }
        }

        if (axis.Ticks is { } ticks && ticks.Any(t => !double.IsFinite(t.Position) || t.Label is null))
        {
            throw new ArgumentException($"Every tick of the {which} axis needs a finite position and a label.", nameof(axis));
        }

        return new AxisWire(axis.Title, axis.Logarithmic, axis.Range?.Min, axis.Range?.Max)
        {
            TickPositions = axis.Ticks?.Select(t => t.Position).ToArray(),
            TickLabels = axis.Ticks?.Select(t => t.Label).ToArray(),
        };
    }

    private static IReadOnlyList<T> Required<T>(IReadOnlyList<T>? values, string label, string field) =>
        values ?? throw new ArgumentException($"{label} has no {field} (it is null).", field);

    private static List<double?> Coordinates(IReadOnlyList<double>? values, string label, string field)
    {
        var list = Required(values, label, field);
        var result = new List<double?>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            if (!double.IsFinite(list[i]))
            {
                throw new ArgumentException($"{label} has {field}[{i}] = {list[i]}; coordinates must be finite numbers.", field);
            }

            result.Add(list[i]);
        }

        return result;
    }

    private static List<double?> Values(IReadOnlyList<double>? values, string label, string field)
    {
        var list = Required(values, label, field);
        var result = new List<double?>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            result.Add(Value(list[i], label, $"{field}[{i}]"));
        }

        return result;
    }

    private static double? Value(double value, string label, string where) =>
        double.IsNaN(value) ? null // drawn as a gap
        : double.IsInfinity(value) ? throw new ArgumentException($"{label} has {where} = {value}; values must be finite or NaN (a gap).", nameof(value))
        : value;

    private static List<string> Labels(IReadOnlyList<string>? labels, string label, string field)
    {
        var list = Required(labels, label, field);
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"{label} has {field}[{i}] = null; labels must be strings.", field);
            }
        }

        return [.. list];
    }

    private static List<IReadOnlyList<double?>> Grid(IReadOnlyList<IReadOnlyList<double>>? z, int columns, int rows, string label)
    {
        var grid = Required(z, label, "Z");
        if (grid.Count != rows)
        {
            throw new ArgumentException($"{label} has {grid.Count} rows of Z but {rows} y values; there must be one row per y.", nameof(z));
        }

        var result = new List<IReadOnlyList<double?>>(rows);
        for (var i = 0; i < grid.Count; i++)
        {
            var row = grid[i] ?? throw new ArgumentException($"{label} has Z[{i}] = null.", nameof(z));
            if (row.Count != columns)
            {
                throw new ArgumentException(
                    $"{label} has a ragged Z: row {i} has {row.Count} values but there are {columns} x values.", nameof(z));
            }

            var values = new List<double?>(row.Count);
            for (var j = 0; j < row.Count; j++)
            {
                values.Add(Value(row[j], label, $"Z[{i}][{j}]"));
            }

            result.Add(values);
        }

        return result;
    }

    private static void CheckSize(int? size, string name)
    {
        if (size is <= 0)
        {
            throw new ArgumentException($"The figure {name} must be positive (got {size}).", name);
        }
    }
}
