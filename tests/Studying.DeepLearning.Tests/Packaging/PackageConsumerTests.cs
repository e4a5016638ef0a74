using Studying.DeepLearning.Notebooks;
using Studying.DeepLearning.Data;
using Studying.DeepLearning.GradientDescent;

namespace Studying.DeepLearning.Tests.Packaging;

/// <summary>
/// `dotnet pack` gives a package that a brand-new console project can reference and use: TorchSharp loads (the
/// package's build step patched its native library) and charts render (the package carried the private renderer).
/// </summary>
[Trait("Tier", "packaging")]
public sealed class PackageConsumerTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("studydl-consumer-").FullName;
    private readonly string _version = $"0.1.0-consumer.{DateTime.UtcNow:yyyyMMddHHmmss}";

    [Fact]
    public async Task FreshConsoleProject_UsesThePackedLibrary()
    {
        var root = NotebookRunner.FindRepositoryRoot().FullName;
        var feed = Path.Combine(_work, "feed");
        var pack = await DotnetCli.RunAsync(root, TimeSpan.FromMinutes(10),
            "pack", "src/Studying.DeepLearning", "-c", "Release", "-o", feed, $"-p:Version={_version}");
        Assert.True(pack.ExitCode == 0, "dotnet pack failed:\n" + pack.Output);
        AssertLeanDependencies(Path.Combine(feed, $"Studying.DeepLearning.{_version}.nupkg"));

        var app = Path.Combine(_work, "app");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><add key="local" value="{feed}" /></packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <NoWarn>NU1603</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Studying.DeepLearning" Version="{_version}" />
                <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using System.Globalization;
            using Studying.DeepLearning.Data;
            using Studying.DeepLearning.GradientDescent;
            using Studying.DeepLearning.Training;
            using TorchSharp;

            double[] x = [1, 2, 3], y = [2, 4, 6];
            var run = SlopeDescent.Run(x, y, new DescentOptions(LearningRate: 0.05, Epochs: 40));
            var data = RegressionDataSets.Quadratic(200, seed: 1);
            var scaler = Standardizer.Fit(data.Features);
            var scaled = new RegressionData(data.FeatureNames, scaler.Transform(data.Features), data.Targets, data.TargetName);
            var fit = scaler.ToOriginalUnits(LinearRegressionTrainer.Fit(scaled, new LinearTrainingOptions(0.1, 2000)).Model);
            GradientDescentCharts.DescentOnLossCurve(run, x, y).SaveHtml("gd.html");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"slope={run.FinalSlope:F6} bias={fit.Bias:F4}"));

            // Training through the package on the backend this application chose (TorchSharp-cpu).
            var blobs = new GaussianBlobSource(samples: 400, classes: 3, features: 4, separation: 4, batchSize: 32, seed: 1);
            torch.random.manual_seed(1);
            using var model = torch.nn.Sequential(("fc1", torch.nn.Linear(4, 16)), ("relu", torch.nn.ReLU()), ("fc2", torch.nn.Linear(16, 3)));
            var result = Trainer.Fit(model, blobs, null, new TrainerOptions { Epochs = 5, Optimizer = new OptimizerSpec(OptimizerKind.Adam, 0.01) });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained accuracy={result.History.Epochs[^1].TrainAccuracy:F3}"));
            """);

        var result = await DotnetCli.RunAsync(app, TimeSpan.FromMinutes(10), "run");

        Assert.True(result.ExitCode == 0, "the consumer failed:\n" + result.Output);
        Assert.Contains("slope=2.000000 bias=3.0000", result.Output, StringComparison.Ordinal);
        var accuracy = System.Text.RegularExpressions.Regex.Match(result.Output, @"trained accuracy=([0-9.]+)");
        Assert.True(accuracy.Success, "the consumer did not train:\n" + result.Output);
        Assert.True(double.Parse(accuracy.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0.9, "well-separated blobs should be learned: " + accuracy.Value);
        var html = await File.ReadAllTextAsync(Path.Combine(app, "gd.html"));
        Assert.Contains("Plotly.newPlot", html, StringComparison.Ordinal);
        Assert.True(Directory.EnumerateFiles(app, "Plotly.NET.dll", SearchOption.AllDirectories).Any(p => p.Contains($"{Path.DirectorySeparatorChar}plotting{Path.DirectorySeparatorChar}", StringComparison.Ordinal)),
            "the consumer's output has no private plotting/ folder");
    }

    /// <summary>The core package leaves the backend to the application and depends on nothing pre-release.</summary>
    private static void AssertLeanDependencies(string package)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(package);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = entry.Open();
        var nuspec = System.Xml.Linq.XDocument.Load(stream);
        var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (Id: (string)e.Attribute("id")!, Version: (string)e.Attribute("version")!)).ToArray();
        Assert.Contains(dependencies, d => d.Id == "TorchSharp");
        Assert.DoesNotContain(dependencies, d => d.Id.StartsWith("TorchSharp-", StringComparison.OrdinalIgnoreCase) || d.Id.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(dependencies, d => d.Id.StartsWith("Microsoft.DotNet.Interactive", StringComparison.Ordinal));
        Assert.All(dependencies, d => Assert.DoesNotContain("-", d.Version, StringComparison.Ordinal));
        Assert.DoesNotContain(zip.Entries, e => e.FullName.Contains("Benchmark", StringComparison.OrdinalIgnoreCase));

        // No benchmark code inside the library either: every type the packed assembly defines.
        var library = zip.Entries.Single(e => e.FullName == "lib/net10.0/Studying.DeepLearning.dll");
        using var copy = new MemoryStream();
        using (var dll = library.Open())
            dll.CopyTo(copy);
        copy.Position = 0;
        using var pe = new System.Reflection.PortableExecutable.PEReader(copy);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        var types = metadata.TypeDefinitions.Select(h => metadata.GetString(metadata.GetTypeDefinition(h).Name)).ToArray();
        Assert.Contains("Trainer", types);
        Assert.DoesNotContain(types, t => t.Contains("Benchmark", StringComparison.Ordinal) || t is "BareTrainingLoop" or "ProcessMemory");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
            var cached = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"), "studying.deeplearning", _version);
            if (Directory.Exists(cached))
                Directory.Delete(cached, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
