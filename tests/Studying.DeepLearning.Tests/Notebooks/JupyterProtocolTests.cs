using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;
using Studying.DeepLearning.Notebooks;

namespace Studying.DeepLearning.Tests.Notebooks;

/// <summary>
/// The chapter notebooks run unchanged through the Jupyter protocol — the way VS Code's Jupyter extension,
/// JupyterLab and <c>jupyter nbconvert --execute</c> run them once the deprecated Polyglot Notebooks extension is
/// gone — with the repository's pinned .NET Interactive kernel registered by scripts/install-jupyter-kernel.py in
/// a private JUPYTER_PATH. One short notebook per chapter; executed copies go to artifacts/notebooks/jupyter/.
/// </summary>
/// <remarks>
/// Skipped, naming the apt packages, where Debian's Jupyter packages are not installed (README, command 2
/// installs them). Kernels run one at a time with the other notebook tests (same collection).
/// </remarks>
[Collection(NotebookKernels.Name)]
[Trait("Tier", "notebook")]
public sealed partial class JupyterProtocolTests(PrivateJupyter jupyter, ITestOutputHelper output) : IClassFixture<PrivateJupyter>
{
    private static readonly TimeSpan s_notebookLimit = TimeSpan.FromMinutes(20);

    [JupyterFact]
    public async Task KernelSpec_RunsThePinnedToolFromTheNuGetFolder_AndJupyterFindsIt()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        output.WriteLine(await jupyter.InstallKernelAsync(cancellation.Token));

        // The shared test helper's own answer: <global-packages>/microsoft.dotnet-interactive/<pinned version>.
        var package = await KernelTool.PackageFolderAsync(jupyter.RepositoryRoot, cancellation.Token);
        var dll = Path.Combine(package, "tools", "net10.0", "any", "Microsoft.DotNet.Interactive.App.dll");

        var spec = JsonNode.Parse(File.ReadAllText(jupyter.KernelSpecFile))!;
        var argv = spec["argv"]!.AsArray().Select(a => (string?)a ?? "(null)").ToArray();
        Assert.Equal(["dotnet", dll, "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-port-range", "2048-3000"], argv);
        Assert.True(File.Exists(dll), $"The kernelspec's {dll} does not exist.");
        Assert.Equal("C#", (string?)spec["language"]);

        // Jupyter itself lists the kernel from the private JUPYTER_PATH (and the user's own folders are not used).
        var list = await jupyter.JupyterAsync(["kernelspec", "list", "--json"], TimeSpan.FromMinutes(2), cancellation.Token);
        Assert.True(list.ExitCode == 0, list.Describe());
        var found = JsonNode.Parse(list.StandardOutput)!["kernelspecs"]![PrivateJupyter.KernelName];
        Assert.NotNull(found);
        Assert.Equal(Path.GetDirectoryName(jupyter.KernelSpecFile), Path.GetFullPath((string)found["resource_dir"]!));
    }

    [Fact]
    public void EveryNotebook_AsksForTheKernelNameTheScriptRegisters()
    {
        // JupyterLab and VS Code's Jupyter extension choose the kernel by metadata.kernelspec.name.
        var notebooks = Directory.GetFiles(Path.Combine(jupyter.RepositoryRoot.FullName, "notebooks"), "*.ipynb");
        Assert.NotEmpty(notebooks);
        Assert.All(notebooks, path =>
            Assert.Equal(PrivateJupyter.KernelName, (string?)JsonNode.Parse(File.ReadAllText(path))!["metadata"]?["kernelspec"]?["name"]));
    }

    [JupyterFact]
    public async Task Chapter1_GradientDescent_RunsThroughJupyter()
    {
        var notebook = await ExecuteAsync("1-1.Gradient_descent_MSE.ipynb");

        // x = [1, 2, 3], y = 2x: J(0) = mean(y²) = 56/3, J'(0) = -(2/3)·Σxy = -56/3, a* = Σxy/Σx² = 2.
        AssertShows(notebook.CellWith("SlopeLoss.Gradient(0, x, y)"), 56.0 / 3, -56.0 / 3, 2);
        AssertShows(notebook.CellWith("slope -= rate"), 2, 8);
        // m = mean x² = 14/3: one-step rate 1/(2m) = 3/28, divergence from 1/m = 3/14.
        AssertShows(notebook.CellWith("LearningRateStudy.OptimalRate(x)"), 3.0 / 28, 3.0 / 14);
        // Full batch at η = 0.01 for 30 epochs from 0: a = 2·(1 − (1 − 2·0.01·14/3)³⁰).
        AssertShows(notebook.CellWith("LearningRateStudy.Compare("), 2 * (1 - Math.Pow(1 - (2 * 0.01 * 14 / 3), 30)));
    }

    [JupyterFact]
    public async Task Chapter2_Autograd_RunsThroughJupyter()
    {
        var notebook = await ExecuteAsync("2-2.TorchSharp_Autograd.ipynb");

        // L = Σ w²·x at w = 3, x = [1, 2, 3]: dL/dw = 2w·Σx = 36.
        AssertShows(notebook.CellWith("L.backward();"), 36);
        // y = 2x, w = 1, η = 0.01, 10 epochs over x = 1, 2, 3: predict(4) = 8 − 4·(0.98·0.92·0.82)¹⁰.
        AssertShows(notebook.CellWith("(zeroed.PredictionBefore, zeroed.PredictionAfter)"), 4, 8 - (4 * Math.Pow(0.98 * 0.92 * 0.82, 10)));
    }

    [JupyterFact]
    public async Task Chapter3_LogisticRegression_RunsThroughJupyter()
    {
        var notebook = await ExecuteAsync("3-1.Logistic_Regression.ipynb");

        // The hand-written logistic regression: the printed weight and bias determine the printed boundary and
        // probabilities, −b/w and σ(w·h + b).
        var run = Values(notebook.CellWith("DecisionBoundary = -fit.Bias / fit.Weight"));
        double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        var (w, b) = (run["Weight"], run["Bias"]);
        Assert.Equal(-b / w, run["DecisionBoundary"], 1e-6);
        Assert.Equal(Sigmoid(w + b), run["PassAt1h"], 1e-6);
        Assert.Equal(Sigmoid((7 * w) + b), run["PassAt7h"], 1e-6);
        Assert.InRange(run["DecisionBoundary"], 1, 6);

        // The stable softmax of [2, 1, 0.1] = e^z / Σe^z, shown to 5 significant digits; the naive one overflows at [1000, 999, 998].
        double[] logits = [2, 1, 0.1];
        var softmax = logits.Select(z => (Math.Exp(z) / logits.Sum(Math.Exp)).ToString("G5", CultureInfo.InvariantCulture));
        var softmaxCell = notebook.CellWith("Tensor NaiveSoftmax(Tensor z)").Text;
        Assert.Contains($"stable [{string.Join(", ", softmax)}]", softmaxCell, StringComparison.Ordinal);
        Assert.Contains("naive [NaN, NaN, NaN]", softmaxCell, StringComparison.Ordinal);

        // The hand-written loop and the Trainer end with the same weights, bit for bit.
        Assert.Contains("max |W(our loop) − W(Trainer)| = 0, max |b − b| = 0", notebook.CellWith("var fitted = Trainer.Fit(").Text, StringComparison.Ordinal);
    }

    [JupyterFact]
    public async Task Chapter4_Inception_RunsThroughJupyter()
    {
        var notebook = await ExecuteAsync("4-1.Inception_Module.ipynb");

        // A 5×5 convolution 192 → 32 channels on 28×28: 28·28·25·192·32 multiply-adds.
        // With a 1×1 reduction to 16 channels first: 28·28·(192·16 + 25·16·32).
        AssertShows(notebook.CellWith("StraightByFormula"), 28.0 * 28 * 25 * 192 * 32, 28.0 * 28 * ((192 * 16) + (25 * 16 * 32)));

        // Inception 3a concatenates 64 + 128 + 32 + 32 = 256 channels at 28×28. Its parameters: the bias-free
        // convolutions' weights plus each batch norm's scale and shift (2 per channel).
        var module = notebook.CellWith("var module = new InceptionModule(");
        Assert.Contains("Output = 1×256×28×28", module.Text, StringComparison.Ordinal);
        const double convolutions = (192 * 64) + (192 * 96) + (9 * 96 * 128) + (192 * 16) + (25 * 16 * 32) + (192 * 32);
        const double batchNorms = 2 * (64 + 96 + 128 + 16 + 32 + 32);
        AssertShows(module, convolutions + batchNorms);
    }

    /// <summary>
    /// Registers the kernel, runs <c>jupyter nbconvert --to notebook --execute</c> on the notebook (unchanged, from
    /// its own folder) and checks the executed copy: exit code 0, every code cell run, no error output, and a
    /// Plotly figure in a text/html output of every cell tagged <c>chart</c>.
    /// </summary>
    private async Task<ExecutedNotebook> ExecuteAsync(string fileName)
    {
        using var cancellation = new CancellationTokenSource(s_notebookLimit);
        await jupyter.InstallKernelAsync(cancellation.Token);

        var source = Path.Combine(jupyter.RepositoryRoot.FullName, "notebooks", fileName);
        var outputFolder = Path.Combine(jupyter.RepositoryRoot.FullName, "artifacts", "notebooks", "jupyter");
        var executed = Path.Combine(outputFolder, fileName);
        Directory.CreateDirectory(outputFolder);
        File.Delete(executed);

        var run = await jupyter.JupyterAsync(
            [
                "nbconvert", "--to", "notebook", "--execute",
                $"--ExecutePreprocessor.kernel_name={PrivateJupyter.KernelName}",
                "--ExecutePreprocessor.timeout=600",
                "--output-dir", outputFolder,
                "--output", Path.GetFileNameWithoutExtension(fileName),
                source,
            ],
            s_notebookLimit,
            cancellation.Token);
        output.WriteLine($"{fileName}: {run.CommandLine}: exit {run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "killed"} after {run.Duration.TotalSeconds:F1} s");
        output.WriteLine($"Executed copy: {executed}");

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.True(File.Exists(executed), $"nbconvert exited with 0 but wrote no {executed}. {run.Describe()}");

        var notebook = ExecutedNotebook.Read(executed);
        Assert.NotEmpty(notebook.Cells);
        foreach (var cell in notebook.Cells.Where(c => !string.IsNullOrWhiteSpace(c.Source)))
        {
            Assert.True(cell.ExecutionCount is not null, $"{fileName} cell {cell.Number} was not run.");
            var error = cell.Outputs.FirstOrDefault(o => o.OutputType == "error");
            Assert.True(error is null, $"{fileName} cell {cell.Number} has an error output: {error?.Error}");
            Assert.True(!cell.RequiresChart || cell.HasPlotlyChart,
                $"{fileName} cell {cell.Number} is tagged \"{NotebookRunner.ChartTag}\" but has no text/html output with a Plotly figure: {cell.DescribeOutputs()}");
        }

        Assert.Contains(notebook.Cells, c => c.RequiresChart);
        return notebook;
    }

    /// <summary>Asserts that each expected number appears among the numbers the cell displayed (relative 1e-9).</summary>
    private static void AssertShows(ExecutedCell cell, params double[] expected)
    {
        var shown = Numbers(cell.Text).ToArray();
        foreach (var value in expected)
        {
            Assert.True(
                shown.Any(n => Math.Abs(n - value) <= 1e-9 * Math.Max(1, Math.Abs(value))),
                $"Cell {cell.Number} does not show {value.ToString("R", CultureInfo.InvariantCulture)}; it shows {string.Join(", ", shown.Distinct().Take(30))}.");
        }
    }

    /// <summary>Name → number of a displayed anonymous object or tuple (the kernel's "{ Name = value, … }" summary).</summary>
    private static Dictionary<string, double> Values(ExecutedCell cell)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match match in NamedNumber().Matches(cell.Text))
        {
            values.TryAdd(match.Groups["name"].Value, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
        }

        return values;
    }

    private static IEnumerable<double> Numbers(string text) =>
        Number().Matches(text).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")]
    private static partial Regex Number();

    [GeneratedRegex(@"\b(?<name>[A-Za-z_]\w*) = (?<value>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)")]
    private static partial Regex NamedNumber();
}
