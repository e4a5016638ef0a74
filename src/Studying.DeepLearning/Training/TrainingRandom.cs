using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Training;

/// <summary>
/// The random generator of the training run on this flow of execution: the <see cref="Trainer"/> sets it (an
/// <see cref="AsyncLocal{T}"/>, so it follows the run's thread and the tasks it starts, and no other run sees it) for
/// the duration of every epoch, and library code that draws randomness during a forward pass — TorchSharp's own
/// random modules cannot take a generator — draws from it, e.g. <see cref="GeneratorDropout"/>.
/// </summary>
/// <remarks>
/// Outside a run (<see cref="Current"/> is <see langword="null"/>) <see cref="Rand"/> falls back to torch's global
/// generator, seeded by <c>torch.random.manual_seed</c>, exactly as <c>nn.Dropout</c> does. A generator is not
/// thread-safe in use: do not draw from one run's generator on several threads at once.
/// </remarks>
public static class TrainingRandom
{
    private static readonly AsyncLocal<Generator?> Ambient = new();

    /// <summary>The generator of the run on this flow, or <see langword="null"/> outside a run (then torch's global generator is used).</summary>
    public static Generator? Current => Ambient.Value;

    /// <summary>
    /// Makes <paramref name="generator"/> the current one until the returned scope is disposed (which restores the
    /// previous one). The trainer does this per epoch; a hand-written loop does it to draw what the trainer draws.
    /// </summary>
    /// <param name="generator">The generator, or <see langword="null"/> for torch's global one.</param>
    public static IDisposable Use(Generator? generator)
    {
        var previous = Ambient.Value;
        Ambient.Value = generator;
        return new Scope(previous);
    }

    /// <summary>Uniform numbers in [0, 1) from <see cref="Current"/> (or torch's global generator outside a run).</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="dtype">A floating-point type.</param>
    /// <param name="device">Where the tensor lives; the current generator must belong to the same kind of device.</param>
    /// <exception cref="InvalidOperationException">The current generator lives on another kind of device than <paramref name="device"/>.</exception>
    public static Tensor Rand(long[] shape, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(device);
        var generator = Current;
        if (generator is not null && generator.device.type != device.type)
            throw new InvalidOperationException(
                $"The training generator lives on {generator.device} but the tensor to draw for lives on {device}; give TrainerOptions.Device the device the model trains on.");
        return torch.rand(shape, dtype: dtype, device: device, generator: generator);
    }

    private sealed class Scope(Generator? previous) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed)
                return;
            disposed = true;
            Ambient.Value = previous;
        }
    }
}
