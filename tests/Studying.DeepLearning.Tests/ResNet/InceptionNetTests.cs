using Studying.DeepLearning.Classification;
using Studying.DeepLearning.ResNet;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Data;

namespace Studying.DeepLearning.Tests.ResNet;

[Trait("Tier", "unit")]
public class InceptionNetTests
{
    public InceptionNetTests() => TorchRuntime.EnsureLoaded();

    /// <summary>Hand count of one module: six bias-free convolutions, six batch norms (weight + bias).</summary>
    private static long Module(long inC, long c1, long r3, long c3, long r5, long c5, long pool) =>
        inC * c1 + inC * r3 + 9 * r3 * c3 + inC * r5 + 25 * r5 * c5 + inC * pool + 2 * (c1 + r3 + c3 + r5 + c5 + pool);

    /// <summary>Hand count of the network from its layer sizes (see the class diagram of <see cref="InceptionNet"/>).</summary>
    private static long HandCount(long channels, long classes) =>
        (9 * channels * 48 + 2 * 48)                 // stem conv 3×3 + batch norm
        + Module(48, 16, 24, 32, 4, 8, 8)            // 3a → 64
        + Module(64, 32, 32, 48, 8, 24, 16)          // 3b → 120
        + Module(120, 48, 24, 52, 4, 12, 16)         // 4a → 128
        + (128 * classes + classes);                 // classifier

    [Fact]
    public void ParameterCount_MatchesTheHandCountAndTheDocumentedNumber()
    {
        Assert.Equal(60_570, HandCount(1, 10));
        Assert.Equal(61_434, HandCount(3, 10));
        Assert.Equal(528 + 10_392 + 24_576 + 23_784 + 1_290, HandCount(1, 10)); // the per-part numbers of the XML docs

        using var grey = new InceptionNet();
        Assert.Equal(HandCount(1, 10), ResNetModels.CountParameters(grey));
        using var colour = new InceptionNet(3, 10);
        Assert.Equal(HandCount(3, 10), ResNetModels.CountParameters(colour));
        using var five = new InceptionNet(2, 5);
        Assert.Equal(HandCount(2, 5), ResNetModels.CountParameters(five));
        Assert.True(HandCount(1, 10) < 200_000);
    }

    [Theory]
    [InlineData(28, 28)]
    [InlineData(29, 29)]
    [InlineData(3, 3)]
    [InlineData(5, 7)]
    public void Forward_GivesOneRowOfLogitsPerImage(int height, int width)
    {
        using var model = new InceptionNet(1, 10);
        using var x = randn(3, 1, height, width);
        using var y = model.forward(x);
        Assert.Equal([3L, 10], y.shape);
    }

    [Fact]
    public void FeatureMaps_HaveTheDocumentedShapes()
    {
        using var model = new InceptionNet();
        model.eval();
        using var x = randn(1, 1, 28, 28);
        var maps = model.FeatureMaps(x);
        try
        {
            Assert.Equal([[1L, 48, 14, 14], [1L, 64, 14, 14], [1L, 120, 14, 14], [1L, 128, 7, 7]], maps.Select(m => m.shape));
            Assert.Equal([64, 120, 128], model.InceptionModules.Select(m => m.OutChannels));
        }
        finally
        {
            foreach (var map in maps)
                map.Dispose();
        }
    }

    [Fact]
    public void Output_IsLogits_AndCrossEntropyAppliesLogSoftmaxOnce()
    {
        random.manual_seed(3);
        using var model = new InceptionNet();
        model.eval();
        using var x = randn(4, 1, 28, 28);
        using var logits = model.forward(x);
        var z = logits.data<float>().ToArray();
        long[] labels = [0, 3, 7, 9];

        // Not probabilities: some entries are negative and no row sums to 1.
        Assert.Contains(z, v => v < 0);
        for (var i = 0; i < 4; i++)
            Assert.True(Math.Abs(z.Skip(10 * i).Take(10).Sum() - 1) > 1e-3, $"row {i} sums to 1: these look like probabilities");

        // cross_entropy(logits, y) = mean over the batch of −(z_y − log Σ_j exp z_j), computed here in plain C# doubles.
        var expected = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var row = z.Skip(10 * i).Take(10).Select(v => (double)v).ToArray();
            var max = row.Max();
            var logSumExp = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            expected += -(row[labels[i]] - logSumExp) / 4;
        }
        using var target = tensor(labels);
        using var loss = nn.functional.cross_entropy(logits, target);
        Assert.Equal(expected, loss.item<float>(), 1e-5);

        // The original notebook applied log_softmax and then cross-entropy. log_softmax is idempotent
        // (the exponentials of log-probabilities already sum to 1), so that gives exactly the same loss: redundant, not harmful.
        using var logProbabilities = nn.functional.log_softmax(logits, 1);
        using var twice = nn.functional.cross_entropy(logProbabilities, target);
        Assert.Equal(expected, twice.item<float>(), 1e-5);

        // Softmax and then cross-entropy is the harmful version: the "logits" are squeezed into [0, 1], and the loss can
        // never fall below −log(e / (e + 9)) = log(1 + 9/e) ≈ 1.461 for 10 classes, even for a perfectly confident model.
        using var probabilities = nn.functional.softmax(logits, 1);
        using var squeezed = nn.functional.cross_entropy(probabilities, target);
        Assert.NotEqual(expected, squeezed.item<float>(), 1e-3);
        Assert.True(squeezed.item<float>() >= Math.Log(1 + 9 / Math.E) - 1e-6);
        using var perfect = tensor(new float[] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 }).reshape(1, 10);
        using var label0 = tensor(new long[] { 0 });
        using var floor = nn.functional.cross_entropy(perfect, label0);
        Assert.Equal(Math.Log(1 + 9 / Math.E), floor.item<float>(), 1e-6);
    }

    [Fact]
    public void ShortTraining_OnASeparableProblem_LowersTheLoss()
    {
        // Two classes of 8×8 images: class 0 bright on the left half, class 1 on the right half, plus noise.
        random.manual_seed(1);
        const int n = 32;
        using var noise = randn(n, 1, 8, 8) * 0.3;
        using var labels = arange(n, ScalarType.Int64) % 2;
        using var columns = arange(8, ScalarType.Float32).reshape(1, 1, 1, 8);
        using var rightHalf = (columns >= 4).to_type(ScalarType.Float32);
        using var isRight = labels.to_type(ScalarType.Float32).reshape(n, 1, 1, 1);
        using var bright = isRight * rightHalf + (1 - isRight) * (1 - rightHalf);
        using var images = bright + noise;

        using var model = new InceptionNet(1, 2);
        using var optimizer = optim.Adam(model.parameters(), 1e-2);
        var losses = new List<float>();
        for (var step = 0; step < 15; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(images), labels);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        Assert.True(losses[^1] < 0.5 * losses[0], $"loss went from {losses[0]:F4} to {losses[^1]:F4}");

        model.eval();
        using var predictions = model.forward(images).argmax(1);
        Assert.True(predictions.eq(labels).sum().item<long>() >= n - 2, "the trained network does not separate left from right");
    }

    [Fact]
    public void BadInput_ThrowsArgumentException_AndTheProcessSurvives()
    {
        using var model = new InceptionNet();
        using var rgb = zeros(1, 3, 28, 28);
        Assert.Contains("3 channel(s), not 1", Assert.Throws<ArgumentException>(() => model.forward(rgb)).Message);
        using var threeD = zeros(1, 28, 28);
        Assert.Contains("expects images [batch, 1, height, width]", Assert.Throws<ArgumentException>(() => model.forward(threeD)).Message);
        using var doubles = zeros(new long[] { 1, 1, 28, 28 }, ScalarType.Float64);
        Assert.Contains("convert it with .to_type(ScalarType.Float32)", Assert.Throws<ArgumentException>(() => model.forward(doubles)).Message);
        using var tiny = zeros(1, 1, 2, 28);
        var e = Assert.Throws<ArgumentException>(() => model.forward(tiny));
        Assert.Contains("at least 3×3 pixels", e.Message);
        Assert.Contains("2×28", e.Message);
        Assert.Throws<ArgumentException>(() => model.FeatureMaps(tiny));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InceptionNet(0, 10));

        using var fine = zeros(2, 1, 28, 28);
        using var y = model.forward(fine);
        Assert.Equal([2L, 10], y.shape);
    }

    [Fact]
    public void ModelSummary_ListsEveryBranchWithHandCountedShapesAndMultiplyAdds()
    {
        using var model = new InceptionNet();
        var summary = ModelSummary.Of(model, [1, 28, 28]);

        Assert.Equal(HandCount(1, 10), summary.TotalParameters);
        // 1 stem conv + 3 modules × 6 convolutions = 19 convolutions, and the classifier.
        Assert.Equal(19, summary.Rows.Count(r => r.Type == "Conv2d"));
        var fiveByFive = summary.Rows.Single(r => r.Name == "inception3b.branch3.conv");
        Assert.Equal([1L, 8, 14, 14], fiveByFive.InputShape);
        Assert.Equal([1L, 24, 14, 14], fiveByFive.OutputShape);
        Assert.Equal(14 * 14 * 24 * 8 * 25, fiveByFive.MultiplyAdds);
        var pool = summary.Rows.Single(r => r.Name == "inception4a.branch4.pool");
        Assert.Equal([1L, 120, 7, 7], pool.OutputShape);
        var fc = summary.Rows[^1];
        Assert.Equal(("fc", "Linear"), (fc.Name, fc.Type));
        Assert.Equal([1L, 128], fc.InputShape);

        // Multiply-adds by hand: per pixel, each module costs Σ (in·out·k²) over its convolutions.
        long PerPixel(long inC, long c1, long r3, long c3, long r5, long c5, long p) => inC * (c1 + r3 + r5 + p) + 9 * r3 * c3 + 25 * r5 * c5;
        var expected = 14 * 14 * 9 * 48
            + 14 * 14 * (PerPixel(48, 16, 24, 32, 4, 8, 8) + PerPixel(64, 32, 32, 48, 8, 24, 16))
            + 7 * 7 * PerPixel(120, 48, 24, 52, 4, 12, 16)
            + 128 * 10;
        Assert.Equal(expected, summary.TotalMultiplyAdds);
        Assert.Equal(7_991_024, summary.TotalMultiplyAdds); // the number in the XML docs
        var stem = summary.Rows[0];
        Assert.Equal("stem.conv", stem.Name);
        Assert.Equal([1L, 48, 14, 14], stem.OutputShape);
    }

    [Fact]
    public void ResNetModels_KnowInception_ButTheResidualFamilyStaysApart()
    {
        Assert.Contains("inception", ResNetModels.AllNames);
        Assert.DoesNotContain("inception", ResNetModels.Names);
        Assert.Equal(ResNetModels.Names.Count + 1, ResNetModels.AllNames.Count);
        using var model = ResNetModels.Create(" Inception ", 1, 10);
        Assert.IsType<InceptionNet>(model);
        Assert.Equal(60_570, ResNetModels.CountParameters(model));

        var build = ResNetModels.ForImages("inception");
        var fashionLike = new ImageDataSet("toy", new byte[2 * 28 * 28], [0, 1], 1, 28, 28, ["a", "b"]);
        using (var built = build(fashionLike))
            Assert.Equal(2, ((IImageNetwork)built).Classes);
        var tiny = new ImageDataSet("tiny", new byte[2 * 2 * 2], [0, 1], 1, 2, 2, ["a", "b"]);
        Assert.Contains("at least 3×3", Assert.Throws<ArgumentException>(() => build(tiny)).Message);
    }
}
