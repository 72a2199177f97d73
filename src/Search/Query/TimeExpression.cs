using System.Globalization;

namespace Analytics.Search.Query;

/// <summary>Times as people type them: an ISO date or instant, <c>now</c>, <c>now-2h</c>, or a bare span back from now (<c>2h</c>, <c>7d</c>).</summary>
public static class TimeExpression
{
    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset value)
    {
        text = text.Trim();
        if (text == "now")
        {
            value = now;
            return true;
        }

        if (text.StartsWith("now-", StringComparison.Ordinal) && TryParseSpan(text[4..], out var back))
        {
            value = now - back;
            return true;
        }

        if (TryParseSpan(text, out var span))
        {
            value = now - span;
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary><c>30s</c>, <c>5m</c>, <c>2h</c>, <c>7d</c>, <c>1w</c>.</summary>
    public static bool TryParseSpan(string text, out TimeSpan span)
    {
        span = default;
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > 100_000)
        {
            return false;
        }

        span = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            'w' => TimeSpan.FromDays(7 * n),
            _ => TimeSpan.Zero,
        };
        return span > TimeSpan.Zero;
    }
}
