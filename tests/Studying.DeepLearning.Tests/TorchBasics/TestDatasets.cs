using System.Collections.Concurrent;
using Studying.DeepLearning.TorchBasics;
using TorchSharp;
using static TorchSharp.torch;

namespace Studying.DeepLearning.Tests.TorchBasics;

/// <summary>Wraps a <see cref="SyntheticDataset"/>: records every tensor it hands out and every call, and can fail on one index.</summary>
internal sealed class TrackingDataset(SyntheticDataset inner, long? failAt = null, Func<long, Dictionary<string, Tensor>?>? replace = null)
    : torch.utils.data.Dataset
{
    private int calls;

    public ConcurrentBag<Tensor> Handed { get; } = [];

    public int Calls => Volatile.Read(ref calls);

    public override long Count => inner.Count;

    public override Dictionary<string, Tensor> GetTensor(long index)
    {
        Interlocked.Increment(ref calls);
        if (index == failAt)
            throw new InvalidDataException($"corrupt record {index}");
        var item = replace?.Invoke(index) ?? inner.GetTensor(index);
        foreach (var t in item.Values)
            Handed.Add(t);
        return item;
    }
}

/// <summary>A data set with no items.</summary>
internal sealed class EmptyDataset : torch.utils.data.Dataset
{
    public override long Count => 0;

    public override Dictionary<string, Tensor> GetTensor(long index) => throw new InvalidOperationException("empty");
}
