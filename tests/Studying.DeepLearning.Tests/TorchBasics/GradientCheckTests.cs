using Studying.DeepLearning.TorchBasics;
using TorchSharp;
using static TorchSharp.torch;
using Studying.DeepLearning.Infrastructure;

namespace Studying.DeepLearning.Tests.TorchBasics;

[Trait("Tier", "unit")]
public class GradientCheckTests
{
    private static readonly long[] Counts = [1, 2];
    private static readonly float[] Halves = [0.5f, 1.5f];

    public GradientCheckTests() => TorchRuntime.EnsureLoaded();

    private static Tensor Vector(params double[] values) => tensor(values, dtype: ScalarType.Float64);

    [Fact]
    public void KnownFunctions_AutogradMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var x = Vector(0.3, -1.2, 2.5, 0);
        var a = tensor(new double[] { 1, 2, 3, 4, 5, 6 }, [2, 3], dtype: ScalarType.Float64);
        var b = tensor(new double[] { 0.5, -1, 0.25, 2, -0.75, 1.5 }, [3, 2], dtype: ScalarType.Float64);

        Assert.True(GradientCheck.Check(t => t[0].pow(2).sum(), [x]).Passed);
        Assert.True(GradientCheck.Check(t => t[0].sin().sum(), [x]).Passed);
        var matmul = GradientCheck.Check(t => t[0].matmul(t[1]).pow(2).sum(), [a, b]);
        Assert.True(matmul.Passed);
        Assert.Equal(2, matmul.Inputs.Count);
        Assert.Equal([3L, 2L], matmul.Inputs[1].Shape);
        Assert.Equal(2 * (6 + 6), matmul.Evaluations);
        Assert.All(matmul.Inputs, i => Assert.True(i.MaxAbsoluteError < 1e-7, $"{i.MaxAbsoluteError}"));
    }

    [Fact]
    public void HandWrittenExactGradients_Pass_AndAWrongOneIsCaught()
    {
        using var scope = NewDisposeScope();
        var x = Vector(0.3, -1.2, 2.5);
        // d/dx sum(x²) = 2x; d/dx sum(sin x) = cos x.
        Assert.True(GradientCheck.CheckAgainst(t => t[0].pow(2).sum(), t => [2 * t[0]], [x]).Passed);
        Assert.True(GradientCheck.CheckAgainst(t => t[0].sin().sum(), t => [t[0].cos()], [x]).Passed);

        var wrong = GradientCheck.CheckAgainst(t => t[0].pow(2).sum(), t => [t[0].clone()], [x]);
        Assert.False(wrong.Passed);
        // The wrong gradient x differs from 2x by |x|: largest at x = 2.5.
        Assert.Equal(2.5, wrong.Inputs[0].MaxAbsoluteError, 6);
        Assert.Equal(0.5, wrong.Inputs[0].MaxRelativeError, 6);
    }

    [Fact]
    public void CustomAutogradFunctionWithAWrongBackward_IsCaught()
    {
        using var scope = NewDisposeScope();
        var x = Vector(0.3, -1.2, 2.5);
        Assert.True(GradientCheck.Check(t => SineFunction.apply(t[0], 1.0).sum(), [x]).Passed);
        var result = GradientCheck.Check(t => SineFunction.apply(t[0], 1.1).sum(), [x]);
        Assert.False(result.Passed);
        // backward returns 1.1·cos x instead of cos x: the error is 0.1·max|cos x|.
        Assert.Equal(0.1 * Math.Max(Math.Abs(Math.Cos(-1.2)), Math.Max(Math.Abs(Math.Cos(0.3)), Math.Abs(Math.Cos(2.5)))), result.Inputs[0].MaxAbsoluteError, 6);
    }

    [Fact]
    public void Float32Inputs_AreCheckedInFloat64_AndTheCallersTensorIsUnchanged()
    {
        using var scope = NewDisposeScope();
        var x = tensor(Halves, dtype: ScalarType.Float32);
        var result = GradientCheck.Check(t => { Assert.Equal(ScalarType.Float64, t[0].dtype); return t[0].exp().sum(); }, [x]);
        Assert.True(result.Passed);
        Assert.True(result.Inputs[0].MaxRelativeError < 1e-8);
        Assert.Equal(Halves, x.data<float>().ToArray());
        Assert.Null(x.grad);
    }

    [Fact]
    public void FunctionIgnoringAnInput_HasZeroGradientForIt()
    {
        using var scope = NewDisposeScope();
        var result = GradientCheck.Check(t => t[0].sum(), [Vector(1, 2), Vector(3)]);
        Assert.True(result.Passed);
        Assert.Equal(0, result.Inputs[1].MaxAbsoluteError);
    }

    [Fact]
    public void NonScalarOutput_IsRejectedWithItsShape()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => GradientCheck.Check(t => t[0] * 2, [Vector(1, 2, 3)]));
        Assert.Contains("[3]", e.Message, StringComparison.Ordinal);
        Assert.Contains("scalar", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IntegerInput_IsRejected()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => GradientCheck.Check(t => t[0].sum(), [tensor(Counts)]));
        Assert.Contains("Int64", e.Message, StringComparison.Ordinal);
        Assert.Contains("floating-point", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => GradientCheck.Check(t => t[0].sum(), []));
        Assert.Throws<ArgumentException>(() => GradientCheck.Check(t => t[0].sum(), [Vector(1, double.NaN)]));
        Assert.Throws<ArgumentException>(() => GradientCheck.Check(t => t[0].log().sum(), [Vector(-1)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Check(t => t[0].sum(), [Vector(1)], new GradientCheckOptions(Step: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Check(t => t[0].sum(), [Vector(1)], new GradientCheckOptions(Tolerance: -1)));
        var count = Assert.Throws<ArgumentException>(() => GradientCheck.CheckAgainst(t => t[0].sum(), t => [t[0], t[0]], [Vector(1)]));
        Assert.Contains("one per input", count.Message, StringComparison.Ordinal);
        var shape = Assert.Throws<ArgumentException>(() => GradientCheck.CheckAgainst(t => t[0].sum(), t => [t[0].sum()], [Vector(1, 2)]));
        Assert.Contains("shaped like its input", shape.Message, StringComparison.Ordinal);
    }

    /// <summary>sin with a backward that multiplies the true derivative cos x by a factor (1 is right, anything else wrong).</summary>
    private sealed class SineFunction : autograd.SingleTensorFunction<SineFunction>
    {
        public override string Name => nameof(SineFunction);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0];
            ctx.save_for_backward([x]);
            ctx.save_data("factor", vars[1]);
            return x.sin();
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
            [grad_output * ctx.get_saved_variables()[0].cos() * (double)ctx.get_data("factor"), null!];
    }
}
