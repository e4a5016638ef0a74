using Studying.DeepLearning.Data;
namespace Studying.DeepLearning.Training;

/// <summary>
/// A progress report of <see cref="Trainer.Fit"/>: during an epoch every <see cref="TrainerOptions.ProgressInterval"/>
/// training batches (and after its last one) with <see cref="Completed"/> <see langword="null"/>, then once when the
/// epoch is done with <see cref="Completed"/> set.
/// </summary>
/// <remarks>
/// A console progress bar reads <see cref="Fraction"/> (samples of this epoch) and <see cref="Epoch"/>/<see cref="Epochs"/>;
/// a live notebook chart appends <see cref="Completed"/> to its curves whenever it is set. Reports are sent with
/// <see cref="IProgress{T}.Report"/> from the training thread: <see cref="Progress{T}"/> posts them to the
/// synchronisation context it was created on (a UI/notebook), a custom <see cref="IProgress{T}"/> runs inline and
/// should be quick.
/// </remarks>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Epochs">The run's number of epochs.</param>
/// <param name="Batch">Training batches done in this epoch.</param>
/// <param name="BatchesPerEpoch">Batches in an epoch, known after the first epoch (<see langword="null"/> during it).</param>
/// <param name="Samples">Training samples done in this epoch.</param>
/// <param name="SampleCount">Training samples in an epoch (<see cref="IBatchSource.SampleCount"/>).</param>
/// <param name="RunningLoss">Mean training loss of the epoch so far.</param>
/// <param name="RunningAccuracy">Training accuracy of the epoch so far.</param>
/// <param name="Completed">The finished epoch's record (on the last report of an epoch), else <see langword="null"/>.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int? BatchesPerEpoch, long Samples, long SampleCount, double RunningLoss, double RunningAccuracy, EpochRecord? Completed)
{
    /// <summary>Fraction of this epoch's training samples done, in [0, 1].</summary>
    public double Fraction => SampleCount > 0 ? Math.Min(1.0, (double)Samples / SampleCount) : 0;
}
