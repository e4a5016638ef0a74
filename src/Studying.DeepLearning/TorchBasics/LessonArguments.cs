using Studying.DeepLearning.Infrastructure;
namespace Studying.DeepLearning.TorchBasics;

/// <summary>Argument checks shared by the autograd lesson's trainers.</summary>
internal static class LessonArguments
{
    /// <summary>Throws unless the learning rate is finite and positive and there is at least one epoch.</summary>
    public static void Schedule(double learningRate, int epochs, string learningRateName, string epochsName)
    {
        Infrastructure.Require.Positive(learningRate, learningRateName);
        if (epochs < 1)
            throw new ArgumentOutOfRangeException(epochsName, epochs, "At least one epoch is needed.");
    }

    /// <summary>Throws unless x and y are finite, non-empty and pair up.</summary>
    public static void Data(IReadOnlyList<double> x, IReadOnlyList<double> y, string xName, string yName)
    {
        Infrastructure.Require.FiniteAndNonEmpty(x, xName);
        Infrastructure.Require.FiniteAndNonEmpty(y, yName);
        Infrastructure.Require.SameLength(x, y, xName, yName);
    }

    /// <summary>Throws unless <paramref name="value"/> is a finite number.</summary>
    public static void Finite(double value, string paramName)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(paramName, value, "Must be a finite number.");
    }
}
