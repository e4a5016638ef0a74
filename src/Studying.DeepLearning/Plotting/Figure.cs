namespace Studying.DeepLearning.Plotting;

/// <summary>
/// A chart described as plain data: a title, two axes and one or more traces. A figure holds no Plotly.NET
/// (F#) type, so it can cross into any host — a notebook kernel that pins another FSharp.Core, a console tool,
/// a test — and is rendered by Plotly.NET in its own load context (<see cref="ToHtml"/>, <see cref="SaveHtml(string)"/>,
/// <see cref="SavePng"/>).
/// </summary>
/// <param name="Title">The title shown above the plot.</param>
/// <param name="Traces">The data series drawn, in order (later traces draw on top).</param>
public sealed partial record Figure(string Title, IReadOnlyList<Trace> Traces)
{
    /// <summary>Creates a figure from a title and any number of traces.</summary>
    /// <param name="title">The title shown above the plot.</param>
    /// <param name="traces">The data series drawn, in order.</param>
    public Figure(string title, params Trace[] traces) : this(title, (IReadOnlyList<Trace>)traces) { }

    /// <summary>The horizontal axis.</summary>
    public Axis XAxis { get; init; } = new();

    /// <summary>The vertical axis.</summary>
    public Axis YAxis { get; init; } = new();

    /// <summary>Width in pixels, or <see langword="null"/> to fill the container.</summary>
    public int? Width { get; init; }

    /// <summary>Height in pixels, or <see langword="null"/> for Plotly's default.</summary>
    public int? Height { get; init; }

    /// <summary>Returns a copy with the axis titles set.</summary>
    /// <param name="x">Title of the horizontal axis.</param>
    /// <param name="y">Title of the vertical axis.</param>
    public Figure WithAxisTitles(string x, string y) =>
        this with { XAxis = XAxis with { Title = x }, YAxis = YAxis with { Title = y } };

    /// <summary>Returns a copy with one more trace drawn on top.</summary>
    /// <param name="trace">The trace to add.</param>
    public Figure Add(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return this with { Traces = [.. Traces, trace] };
    }
}

/// <summary>An axis of a <see cref="Figure"/>.</summary>
/// <param name="Title">The axis title, or <see langword="null"/> for none.</param>
/// <param name="Logarithmic">Whether the axis uses a log scale.</param>
/// <param name="Range">A fixed [min, max] range, or <see langword="null"/> to fit the data.</param>
public sealed record Axis(string? Title = null, bool Logarithmic = false, (double Min, double Max)? Range = null)
{
    /// <summary>Labels at chosen positions instead of automatic tick numbers (e.g. class names under an image grid).</summary>
    public IReadOnlyList<(double Position, string Label)>? Ticks { get; init; }
}

/// <summary>How points of a <see cref="ScatterTrace"/> are drawn.</summary>
public enum TraceMode
{
    /// <summary>Points joined by lines.</summary>
    Lines,
    /// <summary>Points only.</summary>
    Markers,
    /// <summary>Points joined by lines, with a marker at each point.</summary>
    LinesAndMarkers,
}

/// <summary>One data series of a <see cref="Figure"/>.</summary>
/// <param name="Name">The name shown in the legend.</param>
public abstract record Trace(string Name)
{
    /// <summary>A line through the points (x[i], y[i]).</summary>
    /// <param name="name">Legend name.</param>
    /// <param name="x">Horizontal coordinates.</param>
    /// <param name="y">Vertical coordinates, as many as <paramref name="x"/>.</param>
    public static ScatterTrace Line(string name, IReadOnlyList<double> x, IReadOnlyList<double> y) =>
        new(name, x, y, TraceMode.Lines);

    /// <summary>Markers at the points (x[i], y[i]).</summary>
    /// <param name="name">Legend name.</param>
    /// <param name="x">Horizontal coordinates.</param>
    /// <param name="y">Vertical coordinates, as many as <paramref name="x"/>.</param>
    public static ScatterTrace Markers(string name, IReadOnlyList<double> x, IReadOnlyList<double> y) =>
        new(name, x, y, TraceMode.Markers);
}

/// <summary>Points (x[i], y[i]) drawn as lines and/or markers.</summary>
/// <param name="Name">Legend name.</param>
/// <param name="X">Horizontal coordinates.</param>
/// <param name="Y">Vertical coordinates, as many as <paramref name="X"/>.</param>
/// <param name="Mode">Lines, markers or both.</param>
public sealed record ScatterTrace(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, TraceMode Mode)
    : Trace(Name)
{
    /// <summary>How the line is drawn (solid by default): e.g. training curves solid, test curves dashed.</summary>
    public LineDash Dash { get; init; }

    /// <summary>The colour as <c>#RRGGBB</c>, or <see langword="null"/> for Plotly's next colour; lets related traces share one.</summary>
    public string? Color { get; init; }
}

/// <summary>The stroke of a <see cref="ScatterTrace"/>'s line.</summary>
public enum LineDash
{
    /// <summary>A continuous line.</summary>
    Solid,
    /// <summary>Dashes.</summary>
    Dash,
    /// <summary>Dots.</summary>
    Dot,
}

/// <summary>Contour lines of z over a grid: z[i][j] is the value at (x[j], y[i]).</summary>
/// <param name="Name">Legend name.</param>
/// <param name="X">Grid columns.</param>
/// <param name="Y">Grid rows.</param>
/// <param name="Z">Values, one row per y, one column per x.</param>
public sealed record ContourTrace(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<IReadOnlyList<double>> Z)
    : Trace(Name);

/// <summary>A colour grid: z[i][j] is the cell at column label x[j], row label y[i] (a confusion matrix, an image).</summary>
/// <param name="Name">Legend name.</param>
/// <param name="X">Column labels.</param>
/// <param name="Y">Row labels.</param>
/// <param name="Z">Values, one row per y label, one column per x label.</param>
public sealed record HeatmapTrace(string Name, IReadOnlyList<string> X, IReadOnlyList<string> Y, IReadOnlyList<IReadOnlyList<double>> Z)
    : Trace(Name);

/// <summary>Bars of height values[i] over categories[i].</summary>
/// <param name="Name">Legend name.</param>
/// <param name="Categories">Bar labels.</param>
/// <param name="Values">Bar heights, as many as <paramref name="Categories"/>.</param>
public sealed record BarTrace(string Name, IReadOnlyList<string> Categories, IReadOnlyList<double> Values)
    : Trace(Name);

/// <summary>
/// An RGB image drawn pixel for pixel (a grid of sample images, a feature map): <paramref name="Rgb"/> holds
/// <paramref name="Height"/> × <paramref name="Width"/> pixels row by row, three bytes (red, green, blue) each.
/// The image's row 0 is drawn at the top.
/// </summary>
/// <param name="Name">Legend name.</param>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Rgb">Width × Height × 3 bytes.</param>
public sealed record ImageTrace(string Name, int Width, int Height, IReadOnlyList<byte> Rgb) : Trace(Name);
