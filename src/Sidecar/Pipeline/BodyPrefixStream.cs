using System.Buffers;

namespace Analytics.Sidecar.Pipeline;

/// <summary>
/// The request body after inspection: the inspected prefix (from a pooled buffer) followed by
/// whatever was not read yet, so the upstream receives the body unchanged and inspection never
/// holds more than its limit in memory.
/// </summary>
internal sealed class BodyPrefixStream(byte[] buffer, int length, Stream rest) : Stream
{
    private byte[]? _buffer = buffer;
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        if (_buffer is not null && _position < length)
        {
            var n = Math.Min(destination.Length, length - _position);
            _buffer.AsSpan(_position, n).CopyTo(destination);
            _position += n;
            return n;
        }

        return rest.Read(destination);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (_buffer is not null && _position < length)
        {
            var n = Math.Min(destination.Length, length - _position);
            _buffer.AsSpan(_position, n).CopyTo(destination.Span);
            _position += n;
            return ValueTask.FromResult(n);
        }

        return rest.ReadAsync(destination, cancellationToken);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        var b = Interlocked.Exchange(ref _buffer, null);
        if (b is not null)
        {
            ArrayPool<byte>.Shared.Return(b);
        }

        base.Dispose(disposing);
    }
}
