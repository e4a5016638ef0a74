namespace Studying.DeepLearning.Tests.Cli;

/// <summary>
/// Every numeric option out of range, unknown names and unusable folders: refused when the command line is parsed
/// (exit 2, one line naming the option), before any data is read or anything is written. No case trains, so they are quick.
/// </summary>
[Trait("Category", "cli")]
[Trait("Tier", "cli")]
public sealed class BadOptionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public static TheoryData<string, string> Cases => new()
    {
        // train: every numeric option, names, and their combinations
        { "train --epochs 0", "--epochs" },
        { "train --epochs -1", "--epochs" },
        { "train --epochs 1e9", "--epochs" },
        { "train --epochs 99999999", "--epochs" },
        { "train --epochs NaN", "--epochs" },
        { "train --batch-size 0", "--batch-size" },
        { "train --batch-size -5", "--batch-size" },
        { "train --batch-size 100000000", "--batch-size" },
        { "train --lr 0", "--lr" },
        { "train --lr -0.1", "--lr" },
        { "train --lr NaN", "--lr" },
        { "train --lr Infinity", "--lr" },
        { "train --lr 1e309", "--lr" },
        { "train --lr abc", "--lr" },
        { "train --weight-decay -1", "--weight-decay" },
        { "train --weight-decay NaN", "--weight-decay" },
        { "train --weight-decay 1e300", "--weight-decay" },
        { "train --patience 0", "--patience" },
        { "train --patience -3", "--patience" },
        { "train --train-limit 5", "--train-limit" },
        { "train --train-limit -1", "--train-limit" },
        { "train --seed abc", "--seed" },
        { "train --seed 1e40", "--seed" },
        { "train --model mlp2", "--model" },
        { "train --model resnet19", "--model" },
        { "train --dataset cifar100", "--dataset" },
        { "train --dataset iris --model cnn", "--model" },
        { "train --optimizer lbfgs", "--optimizer" },
        { "train --schedule linear", "--schedule" },
        { "train --resume", "--resume" },
        { "train --resume --checkpoints {temp}", "last.ckpt" },
        { "train --data ", "--data" },
        { "train --out {file}", "--out" },
        { "train --out {file}/sub", "--out" },
        { "train --out ", "--out" },
        { "train --checkpoints {file}", "--checkpoints" },
        { "train --images {file}", "--images" },
        { "train --no-such-option", "no-such-option" },
        // bench loader
        { "bench loader --item-ms 1e300", "--item-ms" },
        { "bench loader --item-ms -1", "--item-ms" },
        { "bench loader --item-ms NaN", "--item-ms" },
        { "bench loader --item-cpu-ms 1e300", "--item-cpu-ms" },
        { "bench loader --item-ms 0 --item-cpu-ms 0", "--item-ms" },
        { "bench loader --batches 0", "--batches" },
        { "bench loader --batches 10000000", "--batches" },
        { "bench loader --batch-size 0", "--batch-size" },
        { "bench loader --batch-size -3", "--batch-size" },
        { "bench loader --workers 0", "--workers" },
        { "bench loader --workers 1,x", "--workers" },
        { "bench loader --workers ,", "--workers" },
        { "bench loader --workers 1000", "--workers" },
        { "bench loader --out {file}", "--out" },
        // bench memory, data, trainer, resnet
        { "bench memory --steps 0", "--steps" },
        { "bench memory --no-scope-steps -1", "--no-scope-steps" },
        { "bench memory --batch-size 0", "--batch-size" },
        { "bench memory --limit-mb 0", "--limit-mb" },
        { "bench memory --limit-mb NaN", "--limit-mb" },
        { "bench memory --variant both", "--variant" },
        { "bench data --repeats 0", "--repeats" },
        { "bench data --batch-size 0", "--batch-size" },
        { "bench data --file {temp}/missing.gz", "--file" },
        { "bench data --file {temp}", "--file" },
        { "bench trainer --samples 0", "--samples" },
        { "bench trainer --batch-size 0", "--batch-size" },
        { "bench trainer --rounds 0", "--rounds" },
        { "bench resnet --model resnet19", "--model" },
        { "bench resnet --batch-size 0", "--batch-size" },
        { "bench resnet --steps 0", "--steps" },
        { "bench resnet --warmup-steps -1", "--warmup-steps" },
        { "bench resnet --rounds 0", "--rounds" },
        { "bench resnet --memory-steps -1", "--memory-steps" },
        { "bench resnet --memory-check-step 300", "--memory-check-step" },
        { "bench resnet --threads -1", "--threads" },
        { "bench resnet --sgemm-size 0", "--sgemm-size" },
        { "bench resnet --sgemm-size 1000000", "--sgemm-size" },
        { "bench resnet --sgemm-repeats 0", "--sgemm-repeats" },
        { "bench resnet --malloc-mmap-threshold 0", "--malloc-mmap-threshold" },
        { "bench resnet --memory-loop none", "--memory-loop" },
        // resnet degradation
        { "resnet degradation --models resnet19", "--models" },
        { "resnet degradation --models resnet20,RESNET20", "--models" },
        { "resnet degradation --dataset iris", "--dataset" },
        { "resnet degradation --epochs 0", "--epochs" },
        { "resnet degradation --batch-size 1", "--batch-size" },
        { "resnet degradation --train-samples 10", "--train-samples" },
        { "resnet degradation --test-samples 0", "--test-samples" },
        { "resnet degradation --lr NaN", "--lr" },
        { "resnet degradation --lr 1e309", "--lr" },
        { "resnet degradation --epochs 2 --warmup-epochs 5", "--warmup-epochs" },
        { "resnet degradation --out {file}", "--out" },
        // chapter commands
        { "gd --out {file}", "--out" },
        { "basics --out {file}/under", "--out" },
        { "classify --images {file}", "--images" },
        { "all --out {file}", "--out" },
        { "no-such-command", "no-such-command" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Option_OutOfRangeOrUnusable_RefusedAtParseTime_NamingIt(string commandLine, string expected)
    {
        var file = _temp.File("a-file");
        File.WriteAllText(file, "must stay as it is");
        var arguments = commandLine.Replace("{file}", file, StringComparison.Ordinal).Replace("{temp}", _temp.Path, StringComparison.Ordinal)
            .Split(' ').ToList();
        // "--data " and "--out " end in an empty value: the empty string is the value under test.
        if (commandLine.EndsWith(' '))
            arguments[^1] = "";
        var before = BadInputFiles.Snapshot(_temp.Path);

        var result = await StudydlProcess.RunAsync([.. arguments]);

        CliAssert.OneErrorLine(result, CliAssert.Usage, expected);
        Assert.Equal(before, BadInputFiles.Snapshot(_temp.Path));
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "out")));
    }

    [FactUnlessRoot]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Out_InAFolderWithoutWritePermission_IsRefusedBeforeWork()
    {
        var locked = Path.Combine(_temp.Path, "locked");
        Directory.CreateDirectory(locked);
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var result = await StudydlProcess.RunAsync("gd", "--out", Path.Combine(locked, "out"));
            CliAssert.OneErrorLine(result, CliAssert.Usage, "--out", "cannot write");
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task Help_DocumentsTheExitCodesAndVerbose()
    {
        var (code, stdout, _) = await StudydlProcess.RunAsync("--help");

        Assert.Equal(0, code);
        foreach (var word in new[] { "Exit codes", "1 runtime error", "2 usage error", "130 cancelled", "--verbose" })
            Assert.Contains(word, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_AddsTheStackTrace_AfterTheSameLine()
    {
        var (code, _, stderr) = await StudydlProcess.RunAsync("train", "--epochs", "0", "--verbose");

        Assert.Equal(CliAssert.Usage, code);
        Assert.StartsWith("studydl: --epochs 0 is out of range", stderr, StringComparison.Ordinal);
        Assert.Matches(CliAssert.StackFrame(), stderr);
    }


    public void Dispose() => _temp.Dispose();
}
