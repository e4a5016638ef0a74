namespace Studying.DeepLearning.Training;

/// <summary>Deterministic random sources per (seed, epoch), the same in every process (unlike HashCode.Combine).</summary>
internal static class BatchSeeds
{
    /// <summary>A Random seeded by a SplitMix64 mix of the seed, the epoch and a stream number.</summary>
    public static Random For(int seed, int epoch, int stream = 0)
    {
        var z = unchecked(((ulong)(uint)seed << 32 | (uint)epoch) + (ulong)stream * 0x9E3779B97F4A7C15UL + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return new Random((int)(z & int.MaxValue));
    }

    /// <summary>0…count−1, shuffled with <paramref name="random"/> when <paramref name="shuffle"/> is set.</summary>
    public static int[] Order(int count, bool shuffle, Random random)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++)
            order[i] = i;
        if (shuffle)
            random.Shuffle(order);
        return order;
    }

    /// <summary>The batch ranges [start, end) of one pass.</summary>
    public static IEnumerable<(int Start, int End)> Ranges(int count, int batchSize, bool dropLast)
    {
        for (var start = 0; start < count; start += batchSize)
        {
            var end = Math.Min(count, start + batchSize);
            if (dropLast && end - start < batchSize)
                yield break;
            yield return (start, end);
        }
    }
}
