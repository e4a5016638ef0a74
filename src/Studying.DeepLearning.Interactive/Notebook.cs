using System.Globalization;
using System.Net;
using Microsoft.DotNet.Interactive.Formatting;
using Studying.DeepLearning.Exercises;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Interactive;

/// <summary>
/// What a notebook's first cell calls: makes TorchSharp load (see <see cref="TorchRuntime"/>) and registers
/// display formatters, so a chart shows as a chart and a tensor as its values, not as a type name.
/// </summary>
public static class Notebook
{
    private static int registered;

    /// <summary>
    /// Prepares the notebook kernel. Safe to call more than once. Returns a line saying what is loaded.
    /// </summary>
    public static string Setup()
    {
        TorchRuntime.EnsureLoaded();
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            FigureFormatter.Register();
            Formatter.Register<Tensor>((tensor, writer) => writer.Write(FormatTensorHtml(tensor)), "text/html");
            Formatter.Register<Tensor>((tensor, writer) => writer.Write(FormatTensorText(tensor)), "text/plain");
            Formatter.SetPreferredMimeTypesFor(typeof(Tensor), "text/html");
            Formatter.Register<ExerciseResult>((result, writer) => writer.Write(FormatExerciseHtml(result)), "text/html");
            Formatter.Register<ExerciseResult>((result, writer) => writer.Write(result.ToString()), "text/plain");
            Formatter.SetPreferredMimeTypesFor(typeof(ExerciseResult), "text/html");
        }
        var torchSharp = typeof(torch).Assembly.GetName().Version;
        return string.Create(CultureInfo.InvariantCulture,
            $"TorchSharp {torchSharp?.ToString(3)} (LibTorch {torch.__version__}), device: {ComputeDevice.Name}, {Environment.ProcessorCount} CPU threads; charts by Plotly.NET.");
    }

    /// <summary>The environment variable that asks notebooks for their full-size experiments (<see cref="FullRun"/>).</summary>
    public const string FullRunVariable = "STUDYDL_NOTEBOOK_FULL";

    /// <summary>
    /// True when <c>STUDYDL_NOTEBOOK_FULL=1</c>, or after <see cref="UseFullRun"/>: notebooks whose full experiment takes
    /// longer than a few minutes on 2 cores (such as 4-4's) run it at full size. By default (VS Code, the tests) they run
    /// a short setting and show the full run's recorded result beside it.
    /// </summary>
    public static bool FullRun => fullRun ?? Environment.GetEnvironmentVariable(FullRunVariable) == "1";

    private static bool? fullRun;

    /// <summary>The one switch for full-size experiments inside a notebook: call it before the experiment's cell.</summary>
    /// <param name="full">True for the full run, false for the short default.</param>
    public static void UseFullRun(bool full = true) => fullRun = full;

    /// <summary>A tensor as plain text: its shape, element type and values (large tensors are abbreviated by TorchSharp).</summary>
    /// <param name="tensor">Any tensor.</param>
    public static string FormatTensorText(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var header = string.Create(CultureInfo.InvariantCulture, $"tensor [{string.Join(", ", tensor.shape)}] {tensor.dtype}{(tensor.requires_grad ? ", requires_grad" : "")}");
        if (tensor.IsInvalid)
            return header + " (disposed)";
        return header + Environment.NewLine + tensor.ToString(global::TorchSharp.TensorStringStyle.Numpy, "g5", 100, CultureInfo.InvariantCulture);
    }

    private static string FormatTensorHtml(Tensor tensor) =>
        "<pre>" + WebUtility.HtmlEncode(FormatTensorText(tensor)) + "</pre>";

    /// <summary>An exercise's verdict as one coloured line: green when right, red when wrong, grey when not answered.</summary>
    /// <param name="result">A check's result.</param>
    public static string FormatExerciseHtml(ExerciseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var colour = result.Verdict switch
        {
            ExerciseVerdict.Right => "#1a7f37",
            ExerciseVerdict.Wrong => "#cf222e",
            _ => "#6e7781",
        };
        return $"<div style=\"color:{colour};font-weight:600\">{WebUtility.HtmlEncode(result.ToString())}</div>";
    }
}
