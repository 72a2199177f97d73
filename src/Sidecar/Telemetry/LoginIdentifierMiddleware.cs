using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Analytics.Sidecar.Routes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Telemetry;

/// <summary>
/// On login routes (<c>LoginField</c> set), reads the identifier from a small JSON body and puts
/// its keyed hash into telemetry, so credential stuffing (many identifiers, one source) is
/// visible without user names ever leaving the sidecar. The body is buffered and rewound.
/// </summary>
internal sealed class LoginIdentifierMiddleware
{
    private const int MaxBodyBytes = 8 * 1024;
    private readonly RequestDelegate _next;
    private readonly IRouteOptionsProvider _routes;
    private readonly byte[] _key;

    public LoginIdentifierMiddleware(RequestDelegate next, IRouteOptionsProvider routes, IOptions<TelemetryOptions> options)
    {
        _next = next;
        _routes = routes;
        _key = options.Value.LoginHashKey is { Length: > 0 } configured
            ? Encoding.UTF8.GetBytes(configured)
            : RandomNumberGenerator.GetBytes(32);
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var telemetry = RequestTelemetry.For(context);
        var field = telemetry.RouteId is { } routeId ? _routes.Get(routeId).LoginField : null;
        var request = context.Request;
        if (field is not null && request.ContentLength is > 0 and <= MaxBodyBytes
            && request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            request.EnableBuffering(MaxBodyBytes);
            var length = (int)request.ContentLength.Value;
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                var read = 0;
                while (read < length)
                {
                    var n = await request.Body.ReadAsync(buffer.AsMemory(read, length - read), context.RequestAborted);
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }

                request.Body.Position = 0;
                telemetry.LoginHash = HashField(buffer.AsSpan(0, read), field);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            }
        }

        await _next(context);
    }

    /// <summary>HMAC-SHA256 of the field's string value, first 16 hex digits; null when absent or not JSON.</summary>
    internal string? HashField(ReadOnlySpan<byte> json, string field)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var matches = reader.ValueTextEquals(field);
                reader.Read();
                if (matches && reader.TokenType == JsonTokenType.String)
                {
                    var value = reader.GetString() ?? "";
                    Span<byte> mac = stackalloc byte[32];
                    HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(value.Trim().ToLowerInvariant()), mac);
                    return Convert.ToHexStringLower(mac[..8]);
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
