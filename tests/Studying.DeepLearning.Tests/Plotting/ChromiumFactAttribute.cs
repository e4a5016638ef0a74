using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Tests.Plotting;

/// <summary>
/// A fact that needs a local Chromium (the one <see cref="Chromium.Find"/> would launch). xunit 2 has no dynamic
/// skip, so, like SkippableFactIfMissing, the decision is taken when the test is discovered: without a browser
/// <see cref="FactAttribute.Skip"/> is set and the test is reported as skipped, never as passed.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        try
        {
            _ = Chromium.Find();
        }
        catch (InvalidOperationException missing)
        {
            Skip = missing.Message;
        }
    }
}
