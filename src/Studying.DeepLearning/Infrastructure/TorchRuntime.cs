namespace Studying.DeepLearning;

/// <summary>TEMPORARY placeholder until the native-loading work lands.</summary>
public static class TorchRuntime
{
    /// <summary>Makes sure TorchSharp's native library is loaded.</summary>
    public static void EnsureLoaded() { }
}
