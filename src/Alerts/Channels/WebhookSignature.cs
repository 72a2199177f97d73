using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Analytics.Alerts.Channels;

/// <summary>
/// The webhook signature: <c>X-Analytics-Signature: sha256=&lt;hex HMAC-SHA256 of "{timestamp}.{body}"&gt;</c>
/// with <c>X-Analytics-Timestamp</c> in Unix seconds, as Stripe and GitHub sign theirs, so a receiver
/// can check the sender and refuse old (replayed) deliveries.
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-Analytics-Timestamp";
    public const string SignatureHeader = "X-Analytics-Signature";
    public const string KindHeader = "X-Analytics-Notification";
    public const string DeliveryHeader = "X-Analytics-Delivery";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>True when <paramref name="signature"/> matches and the timestamp is within <paramref name="tolerance"/> of <paramref name="now"/>.</summary>
    public static bool Verify(string secret, string timestamp, string signature, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts)
            || (now - DateTimeOffset.FromUnixTimeSeconds(ts)).Duration() > tolerance)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, ts, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}
