using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace Analytics.Search.Query;

/// <summary>
/// An address or CIDR range for an <c>ip</c> field (<c>source.ip:10.0.0.0/8</c>,
/// <c>source.ip:"2001:db8::/32"</c>), compared as 32-digit hex strings: IPv4 addresses are
/// placed in the IPv4-mapped IPv6 space (<c>::ffff:a.b.c.d</c>) so one comparison serves both
/// families. The archive keeps addresses as text and DuckDB's inet extension is not available
/// offline, so <see cref="HexSql"/> turns the stored text into the same form in SQL.
/// </summary>
public readonly record struct IpRange(string Low, string High)
{
    /// <summary>
    /// Parses <c>address</c> or <c>address/prefix</c> (host bits past the prefix are ignored, as
    /// Elasticsearch does). False for anything else, so the caller can report the value.
    /// </summary>
    public static bool TryParse(string text, out IpRange range)
    {
        range = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!TryParseAddress(slash < 0 ? text : text[..slash], out var address))
        {
            return false;
        }

        var v4 = address.AddressFamily == AddressFamily.InterNetwork;
        var bits = v4 ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && !(int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) && prefix <= bits))
        {
            return false;
        }

        var mapped = v4 ? address.MapToIPv6() : address;
        var value = new BigInteger(mapped.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        var hostBits = bits - prefix;
        var hostMask = (BigInteger.One << hostBits) - 1;
        var low = value & ~hostMask & ((BigInteger.One << 128) - 1);
        range = new IpRange(Hex(low), Hex(low | hostMask));
        return true;
    }

    /// <summary>
    /// An address as people write it in a query: dotted quad or IPv6 text, no zone. Stricter than
    /// <see cref="IPAddress.TryParse(string, out IPAddress)"/>, which also takes "10.0.0" or "1".
    /// </summary>
    public static bool TryParseAddress(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        if (parsed.AddressFamily == AddressFamily.InterNetwork ? text.Count(c => c == '.') != 3 : parsed.AddressFamily != AddressFamily.InterNetworkV6 || !text.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    private static string Hex(BigInteger value)
    {
        var hex = value.ToString("x", CultureInfo.InvariantCulture);
        // BigInteger's hex has a sign digit: drop leading zeros beyond 32, pad short ones.
        return hex.Length > 32 ? hex[^32..] : hex.PadLeft(32, '0');
    }

    /// <summary>
    /// SQL that turns the address text in <paramref name="column"/> (a quoted identifier from the
    /// schema, never user text) into the 32-digit hex form, or a string of another length / NULL
    /// when it is not an address.
    /// </summary>
    public static string HexSql(string column)
    {
        var c = column;
        var v4 = $"'00000000000000000000ffff' || array_to_string(list_transform(string_split({c}, '.'), x -> lpad(lower(hex(TRY_CAST(x AS UTINYINT))), 2, '0')), '')";
        var head = $"split_part({c}, '::', 1)";
        var tail = $"split_part({c}, '::', 2)";
        var headGroups = $"(CASE WHEN {head} = '' THEN CAST([] AS VARCHAR[]) ELSE string_split({head}, ':') END)";
        var tailGroups = $"(CASE WHEN {tail} = '' THEN CAST([] AS VARCHAR[]) ELSE string_split({tail}, ':') END)";
        var zeros = $"list_transform(range(8 - len({headGroups}) - len({tailGroups})), x -> '0')";
        var groups = $"(CASE WHEN contains({c}, '::') THEN list_concat(list_concat({headGroups}, {zeros}), {tailGroups}) ELSE string_split({c}, ':') END)";
        var v6 = $"array_to_string(list_transform({groups}, g -> lpad(lower(g), 4, '0')), '')";
        return $"(CASE WHEN regexp_full_match({c}, '[0-9]{{1,3}}(\\.[0-9]{{1,3}}){{3}}') THEN {v4} "
            + $"WHEN regexp_full_match({c}, '[0-9a-fA-F]{{0,4}}(:[0-9a-fA-F]{{0,4}}){{2,7}}') AND length({c}) - length(replace({c}, '::', '')) <= 2 THEN {v6} END)";
    }

    /// <summary>The condition "the address in <paramref name="column"/> lies in this range", with the bounds as parameters of <paramref name="sql"/>.</summary>
    public string Condition(string column, SqlQuery sql)
    {
        var hex = HexSql(column);
        return $"(length({hex}) = 32 AND {hex} BETWEEN {sql.Add(Low)} AND {sql.Add(High)})";
    }
}
