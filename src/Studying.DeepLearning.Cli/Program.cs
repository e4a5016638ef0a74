using Spectre.Console.Cli;
using Studying.DeepLearning.Cli;

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
    config.PropagateExceptions();
});

try
{
    return await app.RunAsync(args, cancellation.Token);
}
catch (OperationCanceledException)
{
    await Console.Error.WriteLineAsync("Cancelled.");
    return 130;
}
catch (Exception ex) when (ex is ArgumentException or IOException or InvalidDataException or InvalidOperationException or CommandParseException or CommandRuntimeException)
{
    await Console.Error.WriteLineAsync($"studydl: {ex.Message}");
    return 1;
}
