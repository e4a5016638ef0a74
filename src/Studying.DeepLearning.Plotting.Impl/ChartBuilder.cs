using Plotly.NET;
using Studying.DeepLearning.Plotting.Wire;
using static Studying.DeepLearning.Plotting.Impl.FSharpCall;

namespace Studying.DeepLearning.Plotting.Impl;

/// <summary>Rebuilds a <see cref="FigureWire"/> as a Plotly.NET chart.</summary>
internal static class ChartBuilder
{
    /// <summary>Builds the chart: every trace, combined, with the title, axes and size of the figure.</summary>
    /// <param name="figure">The validated figure sent by the facade.</param>
    public static GenericChart Build(FigureWire figure)
    {
        var traces = figure.Traces.Select(BuildTrace).ToList();
        var chart = traces.Count switch
        {
            0 => GenericChart.ofTraceObject(true, new Trace2D("scatter")),
            1 => traces[0],
            _ => Chart.combine(traces),
        };

        chart = Chart.withTitle(figure.Title, null).Invoke(chart);
        chart = WithAxis(chart, figure.XAxis, "withXAxisStyle");
        chart = WithAxis(chart, figure.YAxis, "withYAxisStyle");
        chart = WithTicks(chart, figure.XAxis, "xaxis");
        chart = WithTicks(chart, figure.YAxis, "yaxis");
        var size = new Dictionary<string, object>();
        if (figure.Width is int width)
        {
            size["Width"] = Some(width);
        }

        if (figure.Height is int height)
        {
            size["Height"] = Some(height);
        }

        if (size.Count > 0)
        {
            chart = Style(chart, "withSize", [], size);
        }

        // Plotly.NET's defaults fix 600 x 600; an unset size means: as wide as the cell or page, plotly's height.
        chart = GenericChart.mapLayout(Microsoft.FSharp.Core.FSharpFunc<Layout, Layout>.FromConverter(layout =>
        {
            if (figure.Width is null)
            {
                layout.RemoveProperty("width");
            }

            if (figure.Height is null)
            {
                layout.RemoveProperty("height");
            }

            return layout;
        }), chart);

        // Follow the width of the notebook cell / page unless a size was asked for.
        return Style(chart, "withConfigStyle", [], new Dictionary<string, object> { ["Responsive"] = Some(true) });
    }

    private static GenericChart BuildTrace(TraceWire trace)
    {
        var name = new Dictionary<string, object> { ["Name"] = Some(trace.Name) };
        switch (trace.Kind)
        {
            case TraceWire.ScatterTraceKind:
                if (trace.Color is { } color)
                {
                    name = With(name, trace.Mode == "markers" ? "MarkerColor" : "LineColor", Some(Color.fromHex(color)));
                }
                if (trace.Dash is { } dash)
                {
                    name = With(name, "LineDash", Some(dash == "dot" ? StyleParam.DrawingStyle.Dot : StyleParam.DrawingStyle.Dash));
                }
                object[] xy = [Numbers(trace.X), Values(trace.Y)];
                Type[] xyTypes = [typeof(double), typeof(IConvertible), typeof(string)];
                return trace.Mode switch
                {
                    "markers" => Invoke<GenericChart>(typeof(Chart2D_Scatter.Chart), "Point", xyTypes, xy, name),
                    "lines+markers" => Invoke<GenericChart>(
                        typeof(Chart2D_Scatter.Chart), "Line", xyTypes, xy, With(name, "ShowMarkers", Some(true))),
                    _ => Invoke<GenericChart>(typeof(Chart2D_Scatter.Chart), "Line", xyTypes, xy, name),
                };

            case TraceWire.ContourTraceKind:
                return Invoke<GenericChart>(
                    typeof(Chart2D_Heatmap.Chart),
                    "Contour",
                    [typeof(IConvertible[]), typeof(IConvertible), typeof(double), typeof(double), typeof(string)],
                    [Grid(trace.Z)],
                    With(With(name, "X", Some<IEnumerable<double>>(Numbers(trace.X))), "Y", Some<IEnumerable<double>>(Numbers(trace.Y))));

            case TraceWire.HeatmapTraceKind:
                return Invoke<GenericChart>(
                    typeof(Chart2D_Heatmap.Chart),
                    "Heatmap",
                    [typeof(IConvertible[]), typeof(IConvertible), typeof(string)],
                    [Grid(trace.Z), Labels(trace.XLabels, trace), Labels(trace.YLabels, trace)],
                    name);

            case TraceWire.BarTraceKind:
                return Invoke<GenericChart>(
                    typeof(Chart2D_Bar.Chart),
                    "Column",
                    [typeof(IConvertible), typeof(string), typeof(string), typeof(string), typeof(string)],
                    [Values(trace.Y)],
                    With(name, "Keys", Some<IEnumerable<string>>(Labels(trace.XLabels, trace))));

            case TraceWire.ImageTraceKind:
                var image = new Trace2D("image");
                image.SetProperty("name", trace.Name);
                image.SetProperty("source", trace.Source ?? throw new ArgumentException($"Trace '{trace.Name}' (image) has no source.", nameof(trace)));
                return GenericChart.ofTraceObject(true, image);

            default:
                throw new ArgumentException($"Trace '{trace.Name}' has the unknown kind '{trace.Kind}'.", nameof(trace));
        }
    }

    private static GenericChart WithAxis(GenericChart chart, AxisWire axis, string method)
    {
        var style = new Dictionary<string, object>();
        if (axis.Title is not null)
        {
            style["TitleText"] = Some(axis.Title);
        }

        if (axis.Logarithmic)
        {
            style["AxisType"] = Some(StyleParam.AxisType.Log);
        }

        if (axis.Min is double min && axis.Max is double max)
        {
            // plotly.js takes the range of a log axis in powers of ten.
            style["MinMax"] = Some(axis.Logarithmic
                ? Tuple.Create(Math.Log10(min), Math.Log10(max))
                : Tuple.Create(min, max));
        }

        return style.Count == 0 ? chart : Style(chart, method, [typeof(double), typeof(double), typeof(string)], style);
    }

    // Custom tick labels: set plotly.js's tickvals/ticktext on the layout's axis object directly.
    private static GenericChart WithTicks(GenericChart chart, AxisWire axis, string layoutAxis)
    {
        if (axis.TickPositions is null || axis.TickLabels is null)
        {
            return chart;
        }

        return GenericChart.mapLayout(Microsoft.FSharp.Core.FSharpFunc<Layout, Layout>.FromConverter(layout =>
        {
            var existing = layout.TryGetPropertyValue(layoutAxis);
            var target = existing is { } some && some.Value is DynamicObj.DynamicObj found ? found : new Plotly.NET.LayoutObjects.LinearAxis();
            target.SetProperty("tickmode", "array");
            target.SetProperty("tickvals", axis.TickPositions);
            target.SetProperty("ticktext", axis.TickLabels);
            layout.SetProperty(layoutAxis, target);
            return layout;
        }), chart);
    }

    // Chart.withXxx(...) returns a function from chart to chart.
    private static GenericChart Style(GenericChart chart, string method, Type[] typeArguments, Dictionary<string, object> style) =>
        Invoke<Microsoft.FSharp.Core.FSharpFunc<GenericChart, GenericChart>>(typeof(Chart), method, typeArguments, [], style)
            .Invoke(chart);

    private static Dictionary<string, object> With(Dictionary<string, object> arguments, string name, object value) =>
        new(arguments) { [name] = value };

    // A NaN crosses the wire as null, and stays null: plotly.js draws it as a gap.
    private static IEnumerable<IConvertible?> Values(IReadOnlyList<double?>? values) =>
        values is null ? [] : [.. values.Select(v => v is double d ? (IConvertible)d : null)];

    private static IEnumerable<double> Numbers(IReadOnlyList<double?>? values) =>
        values is null ? [] : [.. values.Select(v => v ?? double.NaN)];

    private static IEnumerable<IConvertible?[]> Grid(IReadOnlyList<IReadOnlyList<double?>>? z) =>
        z is null ? [] : [.. z.Select(row => row.Select(v => v is double d ? (IConvertible)d : null).ToArray())];

    private static IEnumerable<string> Labels(IReadOnlyList<string>? labels, TraceWire trace) =>
        labels ?? throw new ArgumentException($"Trace '{trace.Name}' ({trace.Kind}) has no labels.", nameof(trace));
}
