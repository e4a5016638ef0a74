using Studying.DeepLearning.Tests.Notebooks;

namespace Studying.DeepLearning.Tests.Packaging;

/// <summary>
/// `dotnet pack` gives a package that a brand-new console project can reference and use: TorchSharp loads (the
/// package's build step patched its native library) and charts render (the package carried the private renderer).
/// </summary>
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
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using System.Globalization;
            using Studying.DeepLearning.GradientDescent;

            double[] x = [1, 2, 3], y = [2, 4, 6];
            var run = SlopeDescent.Run(x, y, new DescentOptions(LearningRate: 0.05, Epochs: 40));
            var data = RegressionDataSets.Quadratic(200, seed: 1);
            var scaler = Standardizer.Fit(data.Features);
            var scaled = new RegressionData(data.FeatureNames, scaler.Transform(data.Features), data.Targets, data.TargetName);
            var fit = scaler.ToOriginalUnits(LinearRegressionTrainer.Fit(scaled, new LinearTrainingOptions(0.1, 2000)).Model);
            GradientDescentCharts.DescentOnLossCurve(run, x, y).SaveHtml("gd.html");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"slope={run.FinalSlope:F6} bias={fit.Bias:F4}"));
            """);

        var result = await DotnetCli.RunAsync(app, TimeSpan.FromMinutes(10), "run");

        Assert.True(result.ExitCode == 0, "the consumer failed:\n" + result.Output);
        Assert.Contains("slope=2.000000 bias=3.0000", result.Output, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(Path.Combine(app, "gd.html"));
        Assert.Contains("Plotly.newPlot", html, StringComparison.Ordinal);
        Assert.True(Directory.EnumerateFiles(app, "Plotly.NET.dll", SearchOption.AllDirectories).Any(p => p.Contains($"{Path.DirectorySeparatorChar}plotting{Path.DirectorySeparatorChar}", StringComparison.Ordinal)),
            "the consumer's output has no private plotting/ folder");
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
