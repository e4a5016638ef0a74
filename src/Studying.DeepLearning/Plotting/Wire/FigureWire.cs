// The wire contract between the facade (Studying.DeepLearning) and the Plotly.NET implementation
// (Studying.DeepLearning.Plotting.Impl), which live in different AssemblyLoadContexts. This one source file is
// compiled into both assemblies, so neither references the other; a figure crosses as JSON text.
// NaN values cross as null (a gap in plotly.js); the facade has already validated everything else.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Studying.DeepLearning.Plotting.Wire;

/// <summary>A figure as it crosses into the rendering load context.</summary>
internal sealed record FigureWire(
    string Title,
    AxisWire XAxis,
    AxisWire YAxis,
    int? Width,
    int? Height,
    IReadOnlyList<TraceWire> Traces)
{
    /// <summary>The serializer settings both sides use.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Serializes the figure for the other side.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a figure sent by the other side.</summary>
    /// <param name="json">The text written by <see cref="ToJson"/>.</param>
    public static FigureWire FromJson(string json) =>
        JsonSerializer.Deserialize<FigureWire>(json, Json)
        ?? throw new ArgumentException("The figure JSON is empty.", nameof(json));
}

/// <summary>An axis: title, log scale and an optional fixed range.</summary>
internal sealed record AxisWire(string? Title, bool Logarithmic, double? Min, double? Max)
{
    /// <summary>Positions of custom tick labels, or null for automatic ticks.</summary>
    public IReadOnlyList<double>? TickPositions { get; init; }

    /// <summary>The custom tick labels, one per position.</summary>
    public IReadOnlyList<string>? TickLabels { get; init; }
}

/// <summary>
/// One trace. <see cref="Kind"/> says which fields are set: <c>scatter</c> (X, Y, Mode), <c>contour</c> (X, Y, Z),
/// <c>heatmap</c> (XLabels, YLabels, Z), <c>bar</c> (XLabels, Y), <c>image</c> (Source: a PNG data URI).
/// </summary>
internal sealed record TraceWire(
    string Kind,
    string Name,
    string? Mode = null,
    IReadOnlyList<double?>? X = null,
    IReadOnlyList<double?>? Y = null,
    IReadOnlyList<string>? XLabels = null,
    IReadOnlyList<string>? YLabels = null,
    IReadOnlyList<IReadOnlyList<double?>>? Z = null,
    string? Source = null,
    string? Dash = null,
    string? Color = null)
{
    /// <summary>Kind of a scatter trace: points as lines and/or markers.</summary>
    public const string ScatterTraceKind = "scatter";

    /// <summary>Kind of a contour trace over a numeric grid.</summary>
    public const string ContourTraceKind = "contour";

    /// <summary>Kind of a heatmap over labelled rows and columns.</summary>
    public const string HeatmapTraceKind = "heatmap";

    /// <summary>Kind of a bar chart over categories.</summary>
    public const string BarTraceKind = "bar";

    /// <summary>Kind of an RGB image.</summary>
    public const string ImageTraceKind = "image";
}
