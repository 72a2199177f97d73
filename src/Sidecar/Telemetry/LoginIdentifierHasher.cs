using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Telemetry;

/// <summary>
/// On login routes (<c>LoginField</c> set), reads the identifier from the JSON body's prefix and
/// gives telemetry its keyed hash, so credential stuffing (many identifiers, one source) is
/// visible without user names ever leaving the sidecar. The field name matches in any case;
/// a body that is not JSON, or whose identifier is not valid text (a lone surrogate), has no hash.
/// </summary>
internal sealed class LoginIdentifierHasher
{
    /// <summary>The body prefix read for the identifier, with or without a Content-Length.</summary>
    public const int MaxBodyBytes = 8 * 1024;

    private readonly byte[] _key;

    public LoginIdentifierHasher(IOptions<TelemetryOptions> options)
    {
        _key = options.Value.LoginHashKey is { Length: > 0 } configured
            ? Encoding.UTF8.GetBytes(configured)
            : RandomNumberGenerator.GetBytes(32);
    }

    /// <summary>Whether the request may carry a login identifier: a JSON body on a login route.</summary>
    public static bool Applies(HttpRequest request) =>
        request.ContentLength is null or > 0 && request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>HMAC-SHA256 of the field's string value (trimmed, lower-cased), first 16 hex digits; null when absent or unreadable.</summary>
    public string? Hash(ReadOnlySpan<byte> json, string field)
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
                var matches = NameEquals(ref reader, field);
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
            // Not JSON, or cut off by the prefix before the field: no hash.
        }
        catch (InvalidOperationException)
        {
            // A string that is not valid UTF-16 once unescaped (e.g. "\ud800"): no hash, never a 500.
        }

        return null;
    }

    private static bool NameEquals(ref Utf8JsonReader reader, string field)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && Ascii.IsValid(field))
        {
            return Ascii.EqualsIgnoreCase(reader.ValueSpan, field);
        }

        return string.Equals(reader.GetString(), field, StringComparison.OrdinalIgnoreCase);
    }
}
