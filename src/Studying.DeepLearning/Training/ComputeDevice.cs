using TorchSharp;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Training;

/// <summary>
/// The one device this process trains and evaluates on, chosen once: the <c>STUDYDL_DEVICE</c> environment variable
/// if set (<c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>, or <c>auto</c>), otherwise CUDA when the referenced TorchSharp
/// build can use a GPU, otherwise the CPU. It is the default of <see cref="TrainerOptions.Device"/> (and of the
/// experiments' and evaluation's device), so a project that references a CUDA build of TorchSharp instead of
/// TorchSharp-cpu trains on the GPU without other changes; a run given its own device ignores it.
/// </summary>
public static class ComputeDevice
{
    /// <summary>The environment variable that overrides the automatic choice.</summary>
    public const string EnvironmentVariable = "STUDYDL_DEVICE";

    private static readonly Lazy<torch.Device> Chosen = new(() =>
    {
        TorchRuntime.EnsureLoaded();
        return Resolve(Environment.GetEnvironmentVariable(EnvironmentVariable), CudaAvailable());
    });

    /// <summary>The device (decided on first use, then fixed for the process).</summary>
    /// <exception cref="ArgumentException"><c>STUDYDL_DEVICE</c> names no device this build can use.</exception>
    public static torch.Device Current => Chosen.Value;

    /// <summary>"cpu", "cuda:0", …: <see cref="Current"/> as text.</summary>
    public static string Name => Current.ToString();

    /// <summary>The device a request names, given whether CUDA is usable (the rule behind <see cref="Current"/>).</summary>
    /// <param name="requested"><c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, <c>auto</c>, or <see langword="null"/>/empty for <c>auto</c> (case-insensitive).</param>
    /// <param name="cudaAvailable">Whether the TorchSharp build in use can reach a CUDA device.</param>
    /// <exception cref="ArgumentException">An unknown name, or CUDA requested where it is not available.</exception>
    public static torch.Device Resolve(string? requested, bool cudaAvailable)
    {
        var text = requested?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(text) || text == "auto")
            return cudaAvailable ? new torch.Device(DeviceType.CUDA, 0) : new torch.Device(DeviceType.CPU);
        if (text == "cpu")
            return new torch.Device(DeviceType.CPU);
        if (text == "cuda" || (text.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)))
        {
            if (!cudaAvailable)
                throw new ArgumentException(
                    $"{EnvironmentVariable}={requested} asks for a GPU, but the TorchSharp build in use has no usable CUDA device " +
                    "(TorchSharp-cpu is CPU-only; reference TorchSharp-cuda-linux or TorchSharp-cuda-windows on a machine with an NVIDIA GPU), or set it to cpu.",
                    nameof(requested));
            var index = text.Length > 4 ? int.Parse(text.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture) : 0;
            return new torch.Device(DeviceType.CUDA, index);
        }
        throw new ArgumentException($"{EnvironmentVariable}={requested} is not a device; use cpu, cuda, cuda:N or auto.", nameof(requested));
    }

    /// <summary>Whether a tensor lives on a device (a CUDA device without an index means device 0).</summary>
    /// <param name="device">The device.</param>
    /// <param name="tensor">The tensor.</param>
    internal static bool Holds(torch.Device device, torch.Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.device_type == device.type && (device.type == DeviceType.CPU || tensor.device_index == Math.Max(device.index, 0));
    }

    private static bool CudaAvailable()
    {
        try
        {
            return torch.cuda.is_available();
        }
        catch (Exception e) when (e is DllNotFoundException or NotSupportedException or InvalidOperationException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
