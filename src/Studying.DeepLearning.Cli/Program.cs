using Spectre.Console.Cli;
using Studying.DeepLearning.Cli;

// One error policy (ErrorPolicy): every failure is one line on stderr and a documented exit code, whichever thread it
// happens on; --verbose (anywhere on the command line) adds the stack trace.
args = ErrorPolicy.TakeVerbose(args);
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    // A thread the CLI did not await failed: report it as the policy says and exit before the runtime aborts (134).
    var code = e.ExceptionObject is Exception ex ? ErrorPolicy.Report(ex) : ErrorPolicy.Runtime;
    Environment.Exit(code);
};
TaskScheduler.UnobservedTaskException += (_, e) =>
{
    // A faulted task nobody awaited: its error would otherwise vanish; the work it belonged to has failed.
    e.SetObserved();
    Environment.Exit(ErrorPolicy.Report(e.Exception));
};

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C asks the running chapter to stop between steps; a second one ends the process.
    if (cancellation.IsCancellationRequested)
        return;
    e.Cancel = true;
    cancellation.Cancel();
};

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("studydl");
    config.SetHelpProvider(new ExitCodeHelpProvider(config.Settings));
    config.AddCommand<GradientDescentCommand>("gd")
        .WithDescription("Chapter 1: gradient descent on y = a·x, learning rates, feature scaling, polynomial regression.");
    config.AddCommand<TorchBasicsCommand>("basics")
        .WithDescription("Chapter 2: autograd, modules, backprop by hand, losses, the optimiser race, data loaders and memory.");
    config.AddCommand<ClassificationCommand>("classify")
        .WithDescription("Chapter 3, quickly: sigmoid/softmax and logistic regression, the bundled tables, Fashion-MNIST models on a subset.");
    config.AddCommand<TrainCommand>("train")
        .WithDescription("Chapter 3: train softmax regression, an MLP or a CNN on Fashion-MNIST, MNIST, CIFAR-10 or a bundled table.");
    config.AddCommand<EvaluateCommand>("evaluate")
        .WithDescription("Evaluates a model's weights file (TorchSharp .dat, PyTorch .pt/.pth or .safetensors) on a data set's test split.");
    config.AddBranch("resnet", resnet =>
    {
        resnet.SetDescription("Chapter 4: the ResNet family and He et al.'s CIFAR networks — parameters against the reference counts, feature maps; 'resnet degradation' runs the plain-vs-residual experiment.");
        resnet.SetDefaultCommand<ResNetCommand>();
        resnet.AddCommand<DegradationCommand>("degradation")
            .WithDescription("Chapter 4's experiment: plain-20/56 vs ResNet-20/56 trained side by side (error curves), and gradient norms per layer at initialisation.");
    });
    config.AddCommand<AllChaptersCommand>("all")
        .WithDescription("Runs every chapter, writing each one's charts and report under the output folder.");
    BenchCommand.Register(config, DataBenchCommand.AddTo, TrainerBenchCommand.Register, ResNetBenchCommand.Register);
    config.UseStrictParsing();
    // Parse errors, failed option checks and every exception of a command come here (Spectre calls it for both phases).
    config.SetExceptionHandler((ex, _) => ErrorPolicy.Report(ex));
});

try
{
    return await app.RunAsync(args, cancellation.Token);
}
catch (Exception ex)
{
    // Anything Spectre itself let through (its handler covers parsing and commands): the same one line.
    return ErrorPolicy.Report(ex);
}
