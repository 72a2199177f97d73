namespace Analytics.Inspection.Detectors;

/// <summary>
/// PostgreSQL's <c>expr::type</c> cast (<c>password::int</c>, <c>version()::text</c>): error-based
/// injection casts a column to a type it cannot hold so the error message shows its value. Other
/// languages use <c>::</c> for paths (<c>std::string</c>, <c>Foo::Bar</c>, <c>Types::TEXT</c>,
/// <c>IO::Socket::INET</c>, <c>use crate::text;</c>) and IPv6 for zero runs (<c>fe80::1</c>), so only
/// the cast types no such path ends in count, in lower case after a name (upper case, a PHP or
/// Perl constant's style, only after a literal or a call), and never after a Rust path root.
/// </summary>
internal static class PostgresCastFinder
{
    private static readonly string[] Types =
    [
        "int", "int2", "int4", "int8", "integer", "bigint", "smallint", "text", "varchar", "numeric", "float", "float4",
        "float8", "real", "double", "bool", "boolean", "bytea", "regclass", "regproc", "jsonb",
    ];

    private static readonly string[] PathRoots = ["std", "core", "crate", "self", "super", "alloc"];

    public static bool HasCast(ReadOnlySpan<char> s)
    {
        for (var i = s.IndexOf("::", StringComparison.Ordinal); i > 0; i = Text.IndexOf(s, "::", i + 2, StringComparison.Ordinal))
        {
            var before = s[i - 1];
            var afterLiteral = before is ')' or '\'' or '"' || char.IsAsciiDigit(before);
            if (!afterLiteral && !(char.IsAsciiLetter(before) || before == '_'))
            {
                continue;
            }

            var start = i + 2;
            var end = start;
            while (end < s.Length && (char.IsAsciiLetterOrDigit(s[end]) || s[end] == '_'))
            {
                end++;
            }

            if (end == start || (end < s.Length && s[end] == ':'))
            {
                continue;
            }

            var type = s[start..end];
            var lower = !type.ContainsAnyInRange('A', 'Z');
            var upper = !type.ContainsAnyInRange('a', 'z');
            if (!(lower || (upper && afterLiteral)) || !IsType(type) || (!afterLiteral && IsPathRoot(s, i)))
            {
                continue;
            }

            return true;
        }

        return false;
    }

    private static bool IsType(ReadOnlySpan<char> word)
    {
        foreach (var t in Types)
        {
            if (word.Equals(t, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPathRoot(ReadOnlySpan<char> s, int colons)
    {
        var start = colons;
        while (start > 0 && (char.IsAsciiLetterOrDigit(s[start - 1]) || s[start - 1] == '_'))
        {
            start--;
        }

        var name = s[start..colons];
        foreach (var root in PathRoots)
        {
            if (name.Equals(root, StringComparison.Ordinal))
            {
                return true;
            }
        }

        // A name that is itself a path step ("a::b::int") is a language path, not a column.
        return start >= 2 && s[start - 1] == ':' && s[start - 2] == ':';
    }
}
