using System.Globalization;
using System.Text;
using Analytics.Search.Ecs;

namespace Analytics.Search.Query;

/// <summary>
/// Compiles a parsed KQL query to a parameterised SQL condition over the flat document view
/// (one column per schema field). Field names are looked up in the schema (an unknown one is an
/// error naming its column) and emitted from it; values only ever become parameters.
/// </summary>
public sealed class KqlSqlCompiler(EcsSchema schema)
{
    /// <summary>Compiles <paramref name="node"/> into a condition whose parameters are added to <paramref name="sql"/>; null compiles to <c>TRUE</c>.</summary>
    public string Compile(KqlNode? node, SqlQuery sql) => node switch
    {
        null => "TRUE",
        KqlOr or => "(" + string.Join(" OR ", or.Parts.Select(p => Compile(p, sql))) + ")",
        KqlAnd and => "(" + string.Join(" AND ", and.Parts.Select(p => Compile(p, sql))) + ")",
        // A missing field is neither equal nor unequal in SQL; NOT must still match it, as in KQL.
        KqlNot not => "(NOT coalesce(" + Compile(not.Part, sql) + ", FALSE))",
        KqlMatch m => Match(m, sql),
        KqlRange r => Range(r, sql),
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    private EcsField Field(string name, int offset) =>
        schema.Find(name) ?? throw new KqlSyntaxException($"unknown field '{name}'", offset);

    private string Match(KqlMatch m, SqlQuery sql)
    {
        var field = Field(m.Field, m.FieldOffset);
        var column = SqlQuery.Column(field.Name);
        if (m.IsExists)
        {
            return field.IsArray ? $"(len({column}) > 0)" : $"({column} IS NOT NULL)";
        }

        if (field.IsObject)
        {
            throw new KqlSyntaxException($"'{field.Name}' can only be tested for existence ({field.Name}:*)", m.ValueOffset);
        }

        if (m.HasWildcard)
        {
            if (!field.IsText)
            {
                throw new KqlSyntaxException($"wildcards need a text field; '{field.Name}' is {field.EsType}", m.ValueOffset);
            }

            var pattern = sql.Add(LikePattern(m.Segments));
            return field.IsArray
                ? $"(len(list_filter({column}, x -> x LIKE {pattern} ESCAPE '\\')) > 0)"
                : $"({column} LIKE {pattern} ESCAPE '\\')";
        }

        if (field.EsType == "ip" && !field.IsArray)
        {
            return IpMatch(field, column, m, sql);
        }

        var value = sql.Add(Convert(field, m.Value, m.ValueOffset));
        return field.IsArray ? $"list_contains({column}, {value})" : $"({column} = {value})";
    }

    /// <summary>
    /// An <c>ip</c> field matches an address (compared in its canonical text, the form the
    /// documents hold) or a CIDR range (compared numerically, see <see cref="IpRange"/>).
    /// </summary>
    private static string IpMatch(EcsField field, string column, KqlMatch m, SqlQuery sql)
    {
        if (!m.Value.Contains('/', StringComparison.Ordinal))
        {
            var text = IpRange.TryParseAddress(m.Value, out var address) ? address.ToString() : m.Value;
            return $"({column} = {sql.Add(text)})";
        }

        return IpRange.TryParse(m.Value, out var range)
            ? range.Condition(column, sql)
            : throw new KqlSyntaxException($"'{field.Name}' needs an address or a CIDR range (10.0.0.0/8, \"2001:db8::/32\"), not '{m.Value}'", m.ValueOffset);
    }

    private string Range(KqlRange r, SqlQuery sql)
    {
        var field = Field(r.Field, r.FieldOffset);
        if (field.IsArray || field.IsObject || field.IsBoolean)
        {
            throw new KqlSyntaxException($"'{field.Name}' cannot be compared with {r.Operator}", r.FieldOffset);
        }

        var value = sql.Add(Convert(field, r.Value, r.ValueOffset));
        // The operator comes from the lexer's closed set, never from the text as such.
        var op = r.Operator switch
        {
            "<" => "<",
            "<=" => "<=",
            ">" => ">",
            ">=" => ">=",
            _ => throw new KqlSyntaxException($"unknown comparison '{r.Operator}'", r.ValueOffset),
        };
        return $"({SqlQuery.Column(field.Name)} {op} {value})";
    }

    private static object Convert(EcsField field, string text, int offset)
    {
        if (field.IsInteger)
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                ? l
                : throw new KqlSyntaxException($"'{field.Name}' needs a whole number, not '{text}'", offset);
        }

        if (field.IsNumber)
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? d
                : throw new KqlSyntaxException($"'{field.Name}' needs a number, not '{text}'", offset);
        }

        if (field.IsDate)
        {
            return TimeExpression.TryParse(text, DateTimeOffset.UtcNow, out var t)
                ? t.UtcDateTime
                : throw new KqlSyntaxException($"'{field.Name}' needs a date (2026-11-30, 2026-11-30T10:00:00Z, now-1h), not '{text}'", offset);
        }

        if (field.IsBoolean)
        {
            return bool.TryParse(text, out var b)
                ? b
                : throw new KqlSyntaxException($"'{field.Name}' needs true or false, not '{text}'", offset);
        }

        return text;
    }

    /// <summary>A LIKE pattern: the segments' literal text with LIKE's own wildcards escaped, joined by <c>%</c>.</summary>
    internal static string LikePattern(IReadOnlyList<string> segments)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < segments.Count; i++)
        {
            if (i > 0)
            {
                sb.Append('%');
            }

            foreach (var c in segments[i])
            {
                if (c is '%' or '_' or '\\')
                {
                    sb.Append('\\');
                }

                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
