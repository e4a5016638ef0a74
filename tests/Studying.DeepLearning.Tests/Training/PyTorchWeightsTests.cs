using System.Collections;
using Studying.DeepLearning.Infrastructure;
using Studying.DeepLearning.Training;
using Studying.DeepLearning.ResNet;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.Training;

/// <summary>
/// ModelWeights against files PyTorch wrote (Fixtures/PyTorch, made by make_fixtures.py with torch 1.13.1): the
/// independent truth is PyTorch's own eval-mode logits, recorded beside the weights.
/// </summary>
[Collection(SeededTorchRandom.Name)]
[Trait("Tier", "unit")]
public class PyTorchWeightsTests(ITestOutputHelper output)
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "PyTorch");

    private static (Tensor Input, Tensor Logits) RecordedByPyTorch()
    {
        TorchRuntime.EnsureLoaded();
        var io = PyTorchUnpickler.UnpickleStateDict(Path.Combine(Fixtures, "resnet8-io.pt"));
        return ((Tensor)io["input"]!, (Tensor)io["logits"]!);
    }

    private float MaxDifferenceFromPyTorch(Action<nn.Module> load, string what)
    {
        var (input, expected) = RecordedByPyTorch();
        using var _ = input;
        using var __ = expected;
        using var model = ResNetModels.CifarResNet(8);
        load(model);
        model.eval();
        using var actual = model.call(input);
        Assert.Equal(expected.shape, actual.shape);
        var difference = (actual - expected).abs().max().item<float>();
        output.WriteLine($"{what}: max |our logits − PyTorch's| = {difference:G3} (logits up to {expected.abs().max().item<float>():G3})");
        return difference;
    }

    private static List<Tensor> Snapshot(nn.Module model) => [.. model.state_dict().Values.Select(t => t.clone())];

    private static void AssertUnchanged(List<Tensor> before, nn.Module model)
    {
        var after = model.state_dict().Values.ToList();
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
            Assert.True(before[i].eq(after[i]).all().item<bool>(), $"entry {i} changed although the load failed");
    }

    private static CifarResNet ResNet8WithStatistics(int seed, int channels = 3)
    {
        torch.random.manual_seed(seed);
        var model = ResNetModels.CifarResNet(8, inputChannels: channels);
        model.train();
        using (no_grad())
            model.call(randn(4, channels, 16, 16)).Dispose();
        model.eval();
        return model;
    }

    [Fact]
    public void PyTorchFixture_Loads_WithPyTorchsEvalLogits()
    {
        var difference = MaxDifferenceFromPyTorch(m => ModelWeights.LoadPyTorch(m, Path.Combine(Fixtures, "resnet8.pt")), "resnet8.pt");
        Assert.InRange(difference, 0f, 1e-5f);
    }

    [Fact]
    public void SafetensorsFixture_Loads_WithPyTorchsEvalLogits_ThroughBothEntryPoints()
    {
        var difference = MaxDifferenceFromPyTorch(m => ModelWeights.LoadSafetensors(m, Path.Combine(Fixtures, "resnet8.safetensors")), "resnet8.safetensors");
        Assert.InRange(difference, 0f, 1e-5f);
        var viaLoad = MaxDifferenceFromPyTorch(m => ModelWeights.Load(m, Path.Combine(Fixtures, "resnet8.safetensors")), "resnet8.safetensors via Load");
        Assert.Equal(difference, viaLoad);
    }

    [Fact]
    public void FormatOf_TellsTheFormatsApartByContent()
    {
        using var folder = new TempFolder();
        using var model = ResNet8WithStatistics(1);
        ModelWeights.Save(model, folder.File("w.dat"));
        Assert.Equal(WeightsFormat.TorchSharp, ModelWeights.FormatOf(folder.File("w.dat")));
        Assert.Equal(WeightsFormat.PyTorch, ModelWeights.FormatOf(Path.Combine(Fixtures, "resnet8.pt")));
        Assert.Equal(WeightsFormat.Safetensors, ModelWeights.FormatOf(Path.Combine(Fixtures, "resnet8.safetensors")));
        // Describe reads all three and sees the same entries in PyTorch's two files.
        var pt = ModelWeights.Describe(Path.Combine(Fixtures, "resnet8.pt")).Select(e => e.ToString()).Order(StringComparer.Ordinal);
        var st = ModelWeights.Describe(Path.Combine(Fixtures, "resnet8.safetensors")).Select(e => e.ToString()).Order(StringComparer.Ordinal);
        Assert.Equal(pt, st);
        Assert.Contains("layer2.0.conv1.weight Float32 [32, 16, 3, 3]", pt);
        Assert.Contains("bn1.num_batches_tracked Int64 []", pt);
        Assert.Equal(model.state_dict().Count, ModelWeights.Describe(folder.File("w.dat")).Count);
    }

    [Fact]
    public void TorchVisionResNet18_SavedWithSavePy_LoadsIntoOurResNet18_WithIdenticalLogits()
    {
        using var folder = new TempFolder();
        torch.random.manual_seed(3);
        using var theirs = torchvision.models.resnet18(num_classes: 10);
        using (no_grad())
        {
            foreach (var (name, p) in theirs.named_parameters().Where(p => p.name.Contains("bn", StringComparison.Ordinal) || p.name.Contains("downsample.1", StringComparison.Ordinal)))
                p.uniform_(0.5, 1.5);
            theirs.train();
            for (var i = 0; i < 2; i++)
                theirs.call(randn(4, 3, 64, 64) * 2 + 0.5).Dispose();
        }
        theirs.save_py(folder.File("tv-resnet18.pt")); // torchvision's names, PyTorch's format

        using var ours = ResNetModels.ResNet18(10);
        ModelWeights.LoadPyTorch(ours, folder.File("tv-resnet18.pt"));
        theirs.eval();
        ours.eval();
        using var x = randn(2, 3, 64, 64);
        using var expected = theirs.call(x);
        using var actual = ours.call(x);
        var difference = (actual - expected).abs().max().item<float>();
        output.WriteLine($"torchvision resnet18 → ResNetModels.ResNet18(10): max |difference| = {difference:G3}");
        Assert.InRange(difference, 0f, 1e-5f);
    }

    [Fact]
    public void KuangliuResNet18_UsesKuangliusNames_AndRoundTripsThroughAPyTorchFile()
    {
        using var folder = new TempFolder();
        torch.random.manual_seed(4);
        using var original = ResNetModels.CifarResNet18();
        var keys = original.state_dict().Keys.ToHashSet();
        // kuangliu/pytorch-cifar models/resnet.py: conv1, bn1, layerI.J.{conv1,bn1,conv2,bn2,shortcut.0,shortcut.1}, linear.
        string[] kuangliu = ["conv1.weight", "bn1.running_var", "layer1.0.conv1.weight", "layer1.1.bn2.num_batches_tracked",
            "layer2.0.shortcut.0.weight", "layer2.0.shortcut.1.running_mean", "layer4.1.conv2.weight", "linear.weight", "linear.bias"];
        Assert.All(kuangliu, k => Assert.Contains(k, keys));
        Assert.DoesNotContain(keys, k => k.StartsWith("fc.", StringComparison.Ordinal) || k.Contains("downsample", StringComparison.Ordinal));
        Assert.Equal(122, keys.Count); // stem 1 + 5, 8 blocks × (2 convolutions + 2 × 5 norm entries), 3 shortcuts × (1 + 5), linear 2
        original.train();
        using (no_grad())
            original.call(randn(4, 3, 32, 32)).Dispose();
        original.eval();
        ModelWeights.SavePyTorch(original, folder.File("kuangliu.pth"));

        torch.random.manual_seed(5);
        using var copy = ResNetModels.CifarResNet18();
        ModelWeights.LoadPyTorch(copy, folder.File("kuangliu.pth"));
        copy.eval();
        using var x = randn(2, 3, 32, 32);
        using var a = original.call(x);
        using var b = copy.call(x);
        Assert.True(a.eq(b).all().item<bool>());
    }

    [Theory]
    [InlineData("pt")]
    [InlineData("safetensors")]
    public void RoundTrip_IsBitExact(string extension)
    {
        using var folder = new TempFolder();
        using var original = ResNet8WithStatistics(6);
        using var copy = ResNet8WithStatistics(7);
        var path = folder.File($"nested/w.{extension}");
        if (extension == "pt")
        {
            ModelWeights.SavePyTorch(original, path);
            ModelWeights.LoadPyTorch(copy, path);
        }
        else
        {
            ModelWeights.SaveSafetensors(original, path);
            ModelWeights.LoadSafetensors(copy, path);
        }
        var a = original.state_dict();
        var b = copy.state_dict();
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (name, tensor) in a)
            Assert.True(tensor.dtype == b[name].dtype && tensor.eq(b[name]).all().item<bool>(), $"{name} differs after the round trip");
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Theory]
    [InlineData("pt")]
    [InlineData("safetensors")]
    public void FileThatDoesNotFit_LeavesTheModelUnchanged_AndNamesFileAndKey(string extension)
    {
        using var folder = new TempFolder();
        using var resnet8 = ResNet8WithStatistics(8);
        using var resnet14 = ResNetModels.CifarResNet(14);
        using var oneChannel = ResNet8WithStatistics(9, channels: 1);
        Action<nn.Module, string> save = extension == "pt" ? ModelWeights.SavePyTorch : ModelWeights.SaveSafetensors;
        Action<nn.Module, string> load = extension == "pt" ? ModelWeights.LoadPyTorch : ModelWeights.LoadSafetensors;
        var eight = folder.File($"r8.{extension}");
        var fourteen = folder.File($"r14.{extension}");
        save(resnet8, eight);
        save(resnet14, fourteen);

        var before = Snapshot(resnet14);
        var missing = Assert.Throws<InvalidDataException>(() => load(resnet14, eight));
        AssertUnchanged(before, resnet14);
        Assert.Contains(eight, missing.Message, StringComparison.Ordinal);
        Assert.Contains("missing layer1.1.conv1.weight", missing.Message, StringComparison.Ordinal);

        before = Snapshot(resnet8);
        var unexpected = Assert.Throws<InvalidDataException>(() => load(resnet8, fourteen));
        AssertUnchanged(before, resnet8);
        Assert.Contains(fourteen, unexpected.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected layer1.1.bn1.bias", unexpected.Message, StringComparison.Ordinal);

        before = Snapshot(oneChannel);
        var shape = Assert.Throws<InvalidDataException>(() => load(oneChannel, eight));
        AssertUnchanged(before, oneChannel);
        Assert.Contains("conv1.weight: the file has Float32 [16, 3, 3, 3], the model Float32 [16, 1, 3, 3]", shape.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("resnet8.pt")]
    [InlineData("resnet8.safetensors")]
    public void TruncatedOrCorruptFile_ThrowsInvalidData_NamingTheFile_AndChangesNothing(string fixture)
    {
        using var folder = new TempFolder();
        using var model = ResNet8WithStatistics(10);
        var before = Snapshot(model);
        var bytes = File.ReadAllBytes(Path.Combine(Fixtures, fixture));
        foreach (var (name, content) in new[]
        {
            ("half", bytes[..(bytes.Length / 2)]),
            ("almost", bytes[..^7]),
            ("scrambled", bytes.Select((b, i) => i > 64 && i % 3 == 0 ? (byte)(b ^ 0x5A) : b).ToArray()),
        })
        {
            var path = folder.File($"{name}-{fixture}");
            File.WriteAllBytes(path, content);
            var error = Assert.Throws<InvalidDataException>(() => ModelWeights.Load(model, path));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            AssertUnchanged(before, model);
            output.WriteLine($"{name}-{fixture}: {error.Message}");
        }
        File.WriteAllText(folder.File("notes.pt"), "PK not really a zip");
        Assert.Throws<InvalidDataException>(() => ModelWeights.LoadPyTorch(model, folder.File("notes.pt")));
        var wrongKind = Assert.Throws<InvalidDataException>(() => ModelWeights.LoadSafetensors(model, Path.Combine(Fixtures, "resnet8.pt")));
        Assert.Contains("is not a Safetensors weights file", wrongKind.Message, StringComparison.Ordinal);
        AssertUnchanged(before, model);
    }
}
