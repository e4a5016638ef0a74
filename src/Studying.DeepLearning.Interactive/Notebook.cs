using System.Globalization;
using System.Net;
using Microsoft.DotNet.Interactive.Formatting;
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
        }
        var torchSharp = typeof(torch).Assembly.GetName().Version;
        return string.Create(CultureInfo.InvariantCulture,
            $"TorchSharp {torchSharp?.ToString(3)} (LibTorch {torch.__version__}), device: {ComputeDevice.Name}, {Environment.ProcessorCount} CPU threads; charts by Plotly.NET.");
    }

    /// <summary>The environment variable that asks notebooks for their quick setting (<see cref="QuickRun"/>).</summary>
    public const string QuickRunVariable = "STUDYDL_NOTEBOOK_QUICK";

    /// <summary>
    /// True when <c>STUDYDL_NOTEBOOK_QUICK=1</c>: the repository's notebook tests set it so that a notebook whose full
    /// experiment takes many minutes (such as 4-3's) runs every cell at a small size instead. Unset in VS Code, where the
    /// notebooks run their full settings.
    /// </summary>
    public static bool QuickRun => Environment.GetEnvironmentVariable(QuickRunVariable) == "1";

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
}
