using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Analytics.Sidecar.Pipeline;

/// <summary>
/// The first bytes of a request body, read once for every step that looks at the body (login
/// hashing, inspection, OpenAPI validation) and put back in front of the rest, so the upstream
/// receives the body unchanged and nothing holds more than the largest step's limit.
/// </summary>
internal readonly record struct BodyPrefix(byte[]? Buffer, int Length, bool Truncated)
{
    public static readonly BodyPrefix None = new(null, 0, false);

    public ReadOnlyMemory<byte> Memory => Buffer is null ? ReadOnlyMemory<byte>.Empty : Buffer.AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => Buffer is null ? ReadOnlySpan<byte>.Empty : Buffer.AsSpan(0, Length);

    /// <summary>Whether the request announces a body: a length, chunked framing, or a method that may carry one.</summary>
    public static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0)
        || (request.ContentLength is null && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);

    /// <summary>Reads up to <paramref name="limit"/> bytes into a pooled buffer and puts it back in front of the rest of the body.</summary>
    public static async ValueTask<BodyPrefix> ReadAsync(HttpContext context, int limit)
    {
        var request = context.Request;
        var size = request.ContentLength is { } cl ? (int)Math.Min(cl, limit) : limit;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        var length = 0;
        var original = request.Body;
        while (length < size)
        {
            var n = await original.ReadAsync(buffer.AsMemory(length, size - length), context.RequestAborted);
            if (n == 0)
            {
                break;
            }

            length += n;
        }

        // With a Content-Length the rest is known; for a chunked body that filled the limit, more may
        // follow and cannot be known without reading it, so it is reported as truncated.
        var truncated = request.ContentLength is { } total ? total > length : length == limit;

        var stream = new BodyPrefixStream(buffer, length, original);
        context.Response.RegisterForDispose(stream);
        request.Body = stream;
        return new BodyPrefix(buffer, length, truncated);
    }
}
