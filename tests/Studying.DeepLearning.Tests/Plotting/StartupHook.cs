using Studying.DeepLearning.Tests.Plotting;
// .NET looks for a startup hook as a class named StartupHook in the global namespace; see
// FSharpCoreIsolationTests. It does nothing unless that test's child process sets its environment variable.
#pragma warning disable CA1050 // the runtime requires the global namespace
internal static class StartupHook
#pragma warning restore CA1050
{
    /// <summary>Called by the runtime before Main when this assembly is named in DOTNET_STARTUP_HOOKS.</summary>
    public static void Initialize() => Studying.DeepLearning.Tests.Plotting.PlottingIsolationStartupHook.Run();
}
