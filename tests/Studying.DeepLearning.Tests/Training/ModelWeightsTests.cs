using Studying.DeepLearning.Classification;
using Studying.DeepLearning.ResNet;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;
using Studying.DeepLearning.Tests.Infrastructure;

namespace Studying.DeepLearning.Tests.Training;

[Trait("Tier", "unit")]
public class ModelWeightsTests
{
    public ModelWeightsTests() => TorchRuntime.EnsureLoaded();

    private static CifarResNet TrainedResNet20(int seed)
    {
        torch.random.manual_seed(seed);
        var model = new CifarResNet(20, inputChannels: 1, classes: 10);
        // One training-mode pass moves the batch-norm running statistics away from their initial 0 / 1, so that
        // buffers are part of what the round trip must carry.
        using var x = torch.randn(8, 1, 28, 28);
        model.train();
        using (no_grad())
            model.call(x).Dispose();
        model.eval();
        return model;
    }

    private static void AssertSameState(nn.Module expected, nn.Module actual)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, tensor) in a)
            Assert.True(tensor.dtype == b[name].dtype && tensor.eq(b[name]).all().item<bool>(), $"{name} differs after the round trip");
    }

    [Fact]
    public void RoundTrip_IsBitExact_IncludingBatchNormStatistics_AndGivesTheSameLogits()
    {
        using var folder = new TempFolder();
        using var original = TrainedResNet20(seed: 1);
        using var copy = TrainedResNet20(seed: 2);
        var path = folder.File("nested/resnet20.pt");
        ModelWeights.Save(original, path);
        ModelWeights.Load(copy, path);

        AssertSameState(original, copy);
        Assert.Contains("bn1.running_mean", copy.state_dict().Keys);
        Assert.NotEqual(0f, copy.state_dict()["bn1.running_mean"].abs().sum().item<float>());
        copy.eval();
        using var x = torch.randn(4, 1, 28, 28);
        using var expected = original.call(x);
        using var actual = copy.call(x);
        Assert.True(expected.eq(actual).all().item<bool>());
    }

    [Fact]
    public void Files_AreTorchSharpsOwnFormat_InBothDirections()
    {
        using var folder = new TempFolder();
        using var original = TrainedResNet20(seed: 3);
        using var viaTorchSharp = TrainedResNet20(seed: 4);
        using var viaUs = TrainedResNet20(seed: 5);
        ModelWeights.Save(original, folder.File("ours.pt"));
        viaTorchSharp.load(folder.File("ours.pt"));
        AssertSameState(original, viaTorchSharp);

        original.save(folder.File("theirs.pt"));
        ModelWeights.Load(viaUs, folder.File("theirs.pt"));
        AssertSameState(original, viaUs);
        Assert.Equal(original.state_dict().Count, ModelWeights.Describe(folder.File("theirs.pt")).Count);
        Assert.Equal("conv1.weight Float32 [16, 1, 3, 3]", ModelWeights.Describe(folder.File("theirs.pt"))[0].ToString());
    }

    [Fact]
    public void Load_IntoAnotherArchitecture_NamesTheMismatch_AndChangesNothing()
    {
        using var folder = new TempFolder();
        using var resnet20 = TrainedResNet20(seed: 1);
        ModelWeights.Save(resnet20, folder.File("r20.pt"));
        torch.random.manual_seed(7);
        using var resnet32 = new CifarResNet(32, inputChannels: 1, classes: 10);
        using var threeChannels = new CifarResNet(20, inputChannels: 3, classes: 10);
        var before = resnet32.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        var deeper = Assert.Throws<InvalidDataException>(() => ModelWeights.Load(resnet32, folder.File("r20.pt")));
        Assert.Contains("missing layer1.3.conv1.weight", deeper.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", deeper.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was loaded", deeper.Message, StringComparison.Ordinal);
        foreach (var (name, tensor) in resnet32.state_dict())
            Assert.True(tensor.eq(before[name]).all().item<bool>(), $"{name} changed although the load was refused");

        var channels = Assert.Throws<InvalidDataException>(() => ModelWeights.Load(threeChannels, folder.File("r20.pt")));
        Assert.Contains("conv1.weight: the file has Float32 [16, 1, 3, 3], the model Float32 [16, 3, 3, 3]", channels.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OfMissingTruncatedOrForeignFiles_SaysWhatIsWrong()
    {
        using var folder = new TempFolder();
        using var model = TrainedResNet20(seed: 1);
        Assert.Throws<FileNotFoundException>(() => ModelWeights.Load(model, folder.File("absent.pt")));

        ModelWeights.Save(model, folder.File("whole.pt"));
        var bytes = File.ReadAllBytes(folder.File("whole.pt"));
        File.WriteAllBytes(folder.File("cut.pt"), bytes[..(bytes.Length / 2)]);
        var truncated = Assert.Throws<InvalidDataException>(() => ModelWeights.Load(model, folder.File("cut.pt")));
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);

        File.WriteAllText(folder.File("notes.pt"), "these are not weights at all, just some text in a file");
        Assert.Throws<InvalidDataException>(() => ModelWeights.Load(model, folder.File("notes.pt")));
    }

    [Fact]
    public void Save_ReplacesAnExistingFileAtomically_LeavingNoTemporaryFiles()
    {
        using var folder = new TempFolder();
        using var first = TrainedResNet20(seed: 1);
        using var second = TrainedResNet20(seed: 2);
        using var check = TrainedResNet20(seed: 3);
        var path = folder.File("w.pt");
        ModelWeights.Save(first, path);
        ModelWeights.Save(second, path);
        ModelWeights.Load(check, path);
        AssertSameState(second, check);
        Assert.Equal(["w.pt"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    /// <summary>A TorchSharp-format header whose sizes are absurd is refused from the header, naming the file, before any tensor is read.</summary>
    [Theory]
    [InlineData(new long[] { 1L << 62, 4 }, "")] // 2^62 · 4 · 4 bytes overflows a long
    [InlineData(new long[] { -1 }, "negative dimension")] // LEB128 of 2^64 − 1: a dimension ≥ 2^63
    [InlineData(new long[] { 1L << 40 }, "truncated")] // 4 TiB announced, a few bytes present
    public void Describe_OfAHeaderWithAbsurdSizes_SaysSoAndNamesTheFile(long[] dimensions, string words)
    {
        using var folder = new TempFolder();
        var path = folder.File("absurd.dat");
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            WriteLeb128(writer, 1);
            writer.Write("w");
            WriteLeb128(writer, (long)ScalarType.Float32);
            WriteLeb128(writer, dimensions.Length);
            foreach (var d in dimensions)
                WriteLeb128(writer, d);
            writer.Write(new byte[16]);
        }

        var error = Assert.Throws<InvalidDataException>(() => ModelWeights.Describe(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
    }

    /// <summary>An entry name announcing more bytes than the file holds is refused before it is read.</summary>
    [Fact]
    public void Describe_OfANameLongerThanTheFile_SaysSoAndNamesTheFile()
    {
        using var folder = new TempFolder();
        var path = folder.File("long-name.dat");
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            WriteLeb128(writer, 1);
            WriteLeb128(writer, 1 << 30); // the name's byte count, far past the end
            writer.Write(new byte[8]);
        }

        var error = Assert.Throws<InvalidDataException>(() => ModelWeights.Describe(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("name", error.Message, StringComparison.Ordinal);
    }

    // Unsigned LEB128, as TorchSharp writes counts, types, ranks and dimensions (a negative value as its 64-bit pattern).
    private static void WriteLeb128(BinaryWriter writer, long value)
    {
        var v = unchecked((ulong)value);
        do
        {
            var b = (byte)(v & 0x7F);
            v >>= 7;
            writer.Write(v == 0 ? b : (byte)(b | 0x80));
        }
        while (v != 0);
    }
}
