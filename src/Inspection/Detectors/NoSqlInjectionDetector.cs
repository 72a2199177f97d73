namespace Analytics.Inspection.Detectors;

/// <summary>
/// NoSQL (MongoDB) injection: query operators where data belongs — a JSON key or a
/// bracketed query key such as <c>password[$ne]</c>, or operator syntax inside a string —
/// and server-side JavaScript breakouts (<c>'; return true; var x='</c>, <c>this.password</c>).
/// </summary>
internal sealed class NoSqlInjectionDetector : IDetector
{
    public static readonly Rule Operator = new("nosql-operator", Categories.NoSql, 5, "a MongoDB query operator in data");
    public static readonly Rule JavaScript = new("nosql-js-injection", Categories.NoSql, 5, "server-side JavaScript breaking out of a string");

    private static readonly string[] Operators =
    [
        "$where", "$ne", "$gt", "$gte", "$lt", "$lte", "$regex", "$in", "$nin", "$or", "$and", "$not", "$nor",
        "$exists", "$expr", "$function", "$elemmatch", "$eq", "$all", "$size", "$type", "$mod", "$text",
        "$comment", "$lookup", "$accumulator", "$jsonschema",
    ];

    public void Scan(string value, in ValueChars chars, FindingSet findings)
    {
        var s = value.AsSpan();
        if (chars.Has('$'))
        {
            var key = findings.Current.IsKey;
            foreach (var op in Operators)
            {
                var at = s.IndexOf(op, StringComparison.OrdinalIgnoreCase);
                if (at < 0)
                {
                    continue;
                }

                var end = at + op.Length;
                if (end < s.Length && char.IsAsciiLetterOrDigit(s[end]))
                {
                    continue;
                }

                // As a key ("$ne", "pw[$ne]") an operator is always structure; inside text it needs operator syntax around it.
                var before = at == 0 ? '\0' : s[at - 1];
                var after = end == s.Length ? '\0' : s[end];
                if ((key && (at == 0 || before == '[')) || before is '{' or '[' or '"' or '\'' or ',' || after is ':' or '"' or ']' || (before == ' ' && after == ':'))
                {
                    findings.Add(Operator);
                    break;
                }
            }
        }

        if (chars.Has('\'', '"') && (Text.Has(s, "this.") || Text.Has(s, "return true") || Text.Has(s, "return(true)")
            || Text.Has(s, ";return") || Text.Has(s, "; return") || Text.Has(s, "db.") || Text.Has(s, "new date()") || Text.Has(s, "while(")
            || Text.Has(s, ".match(") || Text.Has(s, "tojson") || Text.Has(s, "function(")))
        {
            var q = s.IndexOfAny('\'', '"');
            var rest = s[(q + 1)..];
            if (rest.IndexOfAny(";|&") >= 0 || rest.TrimStart().StartsWith("||", StringComparison.Ordinal) || Text.Has(rest, "this."))
            {
                findings.Add(JavaScript);
            }
        }
    }
}
