namespace Studying.DeepLearning.Tests;

/// <summary>
/// Test classes that run whole lessons full of TorchSharp's implicit <c>double → Scalar</c> operators
/// (<c>lr * grad</c>, <c>w - 0.1</c>, …) run alone, after the parallel ones. TorchSharp 0.107.0 passes such a temporary
/// Scalar's handle to native code without keeping the Scalar alive (<c>Tensor.mul(Scalar)</c> calls
/// <c>THSTensor_mul_scalar(Handle, target.Handle)</c>; <c>Scalar</c> has a finalizer), so a garbage collection started
/// by another test thread during the native call can free the Scalar under it: LibTorch then fails with "Expected false
/// to be true" or "INTERNAL ASSERT FAILED at Scalar.h". Seen only with many test threads allocating at once on a loaded
/// machine; a single-threaded program (a notebook, the CLI) gives the collector far fewer chances.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ImplicitScalarRace
{
    /// <summary>The collection's name, for <see cref="CollectionAttribute"/>.</summary>
    public const string Name = "TorchSharp implicit Scalar temporaries";
}
