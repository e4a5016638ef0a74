namespace Studying.DeepLearning.Data;

/// <summary>
/// Reads the number of bytes a file's header promises without trusting the promise: the buffer grows as data
/// actually arrives (from <see cref="FirstChunk"/>, doubling, never past the promised size), so a header that claims
/// gigabytes in a 100-byte file costs one small buffer and a clear error, not an out-of-memory crash. A seekable stream
/// whose remaining length covers the promise is read into one exact buffer.
/// </summary>
internal static class BoundedRead
{
    /// <summary>The first buffer's size when the data's presence is not known yet: 1 MiB.</summary>
    public const int FirstChunk = 1 << 20;

    /// <summary>Reads up to <paramref name="size"/> bytes; the result holds fewer only where the content ends first.</summary>
    /// <param name="stream">The content, positioned after the header.</param>
    /// <param name="size">The bytes promised.</param>
    /// <returns>A buffer and how many of its bytes were read (the buffer is exactly <paramref name="size"/> long when all were).</returns>
    public static (byte[] Buffer, int Read) UpTo(Stream stream, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (stream.CanSeek && stream.Length - stream.Position < size)
            return (Array.Empty<byte>(), (int)Math.Max(0, stream.Length - stream.Position));
        var known = stream.CanSeek;
        var buffer = GC.AllocateUninitializedArray<byte>(known ? size : Math.Min(size, FirstChunk));
        var read = 0;
        while (read < size)
        {
            if (read == buffer.Length)
            {
                var larger = GC.AllocateUninitializedArray<byte>((int)Math.Min(size, 2L * buffer.Length));
                buffer.AsSpan(0, read).CopyTo(larger);
                buffer = larger;
            }
            var n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0)
                break;
            read += n;
        }
        return (buffer, read);
    }
}
