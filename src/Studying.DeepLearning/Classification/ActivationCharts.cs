using Studying.DeepLearning.Plotting;

namespace Studying.DeepLearning.Classification;

/// <summary>The pictures of sigmoid and softmax (the README's sigmoid plot among them).</summary>
public static class ActivationCharts
{
    /// <summary>The file the README shows, relative to the repository root.</summary>
    public const string SigmoidPicturePath = "img/sigmoid_plot.png";

    /// <summary>σ(z) = 1/(1 + e^{−z}) and its derivative σ(z)(1 − σ(z)) over z ∈ [−8, 8].</summary>
    public static Figure SigmoidWithDerivative()
    {
        var z = Grid(-8, 8, 321);
        return new Figure("The sigmoid σ(z) = 1 / (1 + e⁻ᶻ) squashes a logit into a probability",
                Trace.Line("σ(z)", z, z.Select(StableSoftmax.Sigmoid).ToArray()),
                Trace.Line("σ′(z) = σ(z)·(1 − σ(z))", z, z.Select(StableSoftmax.SigmoidDerivative).ToArray()),
                Trace.Markers("σ(0) = ½, where σ′ peaks at ¼", [0, 0], [0.5, 0.25]))
        {
            XAxis = new Axis("z (logit)"),
            YAxis = new Axis("value", Range: (-0.05, 1.05)),
        };
    }

    /// <summary>
    /// softmax([t, 1, 0]) as the first logit t sweeps from −6 to 6: the probabilities always sum to one; the first
    /// class takes over as t passes the others, and p₀ = σ(t − logsumexp(1, 0)) is a sigmoid in t.
    /// </summary>
    public static Figure SoftmaxAsOneLogitVaries()
    {
        var t = Grid(-6, 6, 241);
        var p = t.Select(v => StableSoftmax.Softmax([v, 1, 0])).ToArray();
        return new Figure("softmax([t, 1, 0]): probabilities as one logit varies",
                Trace.Line("p(class 0), logit t", t, p.Select(r => r[0]).ToArray()),
                Trace.Line("p(class 1), logit 1", t, p.Select(r => r[1]).ToArray()),
                Trace.Line("p(class 2), logit 0", t, p.Select(r => r[2]).ToArray()))
        {
            XAxis = new Axis("t (logit of class 0)"),
            YAxis = new Axis("probability", Range: (0, 1)),
        };
    }

    /// <summary>Writes <see cref="SigmoidWithDerivative"/> as a PNG (through headless Chromium), e.g. to <see cref="SigmoidPicturePath"/>.</summary>
    /// <param name="path">The PNG file to write; its folder is created if needed.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static void SaveSigmoidPicture(string path, int width = 800, int height = 500)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        SigmoidWithDerivative().SavePng(path, width, height);
    }

    /// <summary>Pass probability against hours: the data, logistic regression with its decision boundary, and the two MLPs.</summary>
    /// <param name="x">Hours of the data.</param>
    /// <param name="y">Labels of the data.</param>
    /// <param name="logistic">The logistic-regression fit.</param>
    /// <param name="mlps">MLP runs to draw as well.</param>
    public static Figure PassProbability(IReadOnlyList<double> x, IReadOnlyList<double> y, LogisticRegressionRun logistic, params HoursMlpRun[] mlps)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(logistic);
        ArgumentNullException.ThrowIfNull(mlps);
        var hours = Grid(0, 8, 161);
        var traces = new List<Trace>
        {
            Trace.Markers("data (0 = fail, 1 = pass)", x, y),
            Trace.Line($"logistic regression σ({logistic.Weight:F2}·h {(logistic.Bias < 0 ? "−" : "+")} {Math.Abs(logistic.Bias):F2})", hours, hours.Select(logistic.Probability).ToArray()),
            Trace.Line($"decision boundary h = −b/w = {logistic.DecisionBoundary:F3}", [logistic.DecisionBoundary, logistic.DecisionBoundary], [0, 1]),
        };
        traces.AddRange(mlps.Select(m => (Trace)Trace.Line($"MLP 1-5-5-2, {m.Options.Activation}", m.GridHours, m.GridPassProbability)));
        return new Figure("p(pass | hours studied)", traces)
        {
            XAxis = new Axis("hours studied"),
            YAxis = new Axis("p(pass)", Range: (-0.05, 1.05)),
        };
    }

    private static double[] Grid(double from, double to, int points) =>
        Enumerable.Range(0, points).Select(i => from + (to - from) * i / (points - 1)).ToArray();
}
