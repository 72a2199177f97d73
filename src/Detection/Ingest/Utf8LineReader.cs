using System.Buffers;

namespace Analytics.Detection.Ingest;

/// <summary>
/// Reads a stream as UTF-8 lines without decoding them: each line is a slice of one reused
/// buffer, valid until the next call. The JSON reader parses UTF-8 directly, so the per-line
/// string and its transcoding back to UTF-8 (a third of the parse cost) are never made.
/// </summary>
internal sealed class Utf8LineReader : IDisposable
{
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private bool _first = true;

    public Utf8LineReader(Stream stream, int bufferSize = 1 << 20)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    /// <summary>The next line without its <c>\n</c> / <c>\r\n</c> (and without a leading BOM); false at the end.</summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = Trim(_start, newline);
                _start += newline + 1;
                return true;
            }

            if (_eof)
            {
                if (_end > _start)
                {
                    line = Trim(_start, _end - _start);
                    _start = _end;
                    return true;
                }

                line = default;
                return false;
            }

            Fill();
        }
    }

    private ReadOnlyMemory<byte> Trim(int start, int length)
    {
        if (length > 0 && _buffer[start + length - 1] == (byte)'\r')
        {
            length--;
        }

        if (_first)
        {
            _first = false;
            if (length >= 3 && _buffer.AsSpan(start, 3).SequenceEqual("\uFEFF"u8))
            {
                start += 3;
                length -= 3;
            }
        }

        return new ReadOnlyMemory<byte>(_buffer, start, length);
    }

    private void Fill()
    {
        // Keep the partial line: move it to the front, or grow when one line fills the buffer.
        var pending = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
        }
        else if (pending == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, pending);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        _start = 0;
        _end = pending;
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    public void Dispose()
    {
        _stream.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
