namespace Analytics.Search.Query;

/// <summary>
/// Parses the KQL subset: <c>field:value</c>, <c>field:"quoted value"</c>, wildcards (<c>*</c>) in
/// unquoted values, <c>field:*</c> (exists), <c>field:(a or b)</c>, comparisons
/// (<c>&lt; &lt;= &gt; &gt;=</c>), <c>and</c>, <c>or</c>, <c>not</c> and parentheses; <c>not</c> binds
/// tightest, then <c>and</c>, then <c>or</c>. Errors name the column.
/// </summary>
public sealed class KqlParser
{
    private readonly List<KqlToken> _tokens;
    private int _next;

    private KqlParser(string text) => _tokens = KqlLexer.Tokenize(text);

    /// <summary>The query's tree; an empty or blank query is null (everything matches).</summary>
    public static KqlNode? Parse(string text)
    {
        var parser = new KqlParser(text);
        if (parser.Peek.Kind == KqlTokenKind.End)
        {
            return null;
        }

        var node = parser.ParseOr(field: null);
        var end = parser.Peek;
        if (end.Kind != KqlTokenKind.End)
        {
            throw new KqlSyntaxException(end.Kind == KqlTokenKind.RightParen
                ? "unbalanced ')'"
                : $"expected 'and' or 'or' before '{end.Text}'", end.Offset);
        }

        return node;
    }

    private KqlToken Peek => _tokens[_next];

    private KqlToken Take() => _tokens[_next++];

    // With a field, the expression is a value list: field:(a or not b).
    private KqlNode ParseOr((string Name, int Offset)? field)
    {
        var parts = new List<KqlNode> { ParseAnd(field) };
        while (Peek.Kind == KqlTokenKind.Or)
        {
            Take();
            parts.Add(ParseAnd(field));
        }

        return parts.Count == 1 ? parts[0] : new KqlOr(parts);
    }

    private KqlNode ParseAnd((string Name, int Offset)? field)
    {
        var parts = new List<KqlNode> { ParseNot(field) };
        while (Peek.Kind == KqlTokenKind.And)
        {
            Take();
            parts.Add(ParseNot(field));
        }

        return parts.Count == 1 ? parts[0] : new KqlAnd(parts);
    }

    private KqlNode ParseNot((string Name, int Offset)? field)
    {
        if (Peek.Kind == KqlTokenKind.Not)
        {
            Take();
            return new KqlNot(ParseNot(field));
        }

        return ParsePrimary(field);
    }

    private KqlNode ParsePrimary((string Name, int Offset)? field)
    {
        var token = Take();
        switch (token.Kind)
        {
            case KqlTokenKind.LeftParen:
                var inner = ParseOr(field);
                var close = Take();
                if (close.Kind != KqlTokenKind.RightParen)
                {
                    throw new KqlSyntaxException("expected ')'", close.Offset);
                }

                return inner;
            case KqlTokenKind.Word or KqlTokenKind.Quoted when field is { } f:
                return new KqlMatch(f.Name, f.Offset, token.Segments, token.Kind == KqlTokenKind.Quoted, token.Offset);
            case KqlTokenKind.Word when token.Segments.Count == 1:
                return ParseFieldExpression(token);
            case KqlTokenKind.Word or KqlTokenKind.Quoted:
                throw new KqlSyntaxException($"'{token.Text}' needs a field: write field:value", token.Offset);
            case KqlTokenKind.End:
                throw new KqlSyntaxException("the query ends where a term was expected", token.Offset);
            default:
                throw new KqlSyntaxException($"unexpected '{token.Text}' where a term was expected", token.Offset);
        }
    }

    private KqlNode ParseFieldExpression(KqlToken name)
    {
        var op = Take();
        if (op.Kind == KqlTokenKind.Colon)
        {
            var value = Peek;
            if (value.Kind == KqlTokenKind.LeftParen)
            {
                Take();
                var list = ParseOr((name.Text, name.Offset));
                var close = Take();
                if (close.Kind != KqlTokenKind.RightParen)
                {
                    throw new KqlSyntaxException("expected ')'", close.Offset);
                }

                return list;
            }

            if (value.Kind is KqlTokenKind.Word or KqlTokenKind.Quoted)
            {
                Take();
                return new KqlMatch(name.Text, name.Offset, value.Segments, value.Kind == KqlTokenKind.Quoted, value.Offset);
            }

            throw new KqlSyntaxException($"expected a value after '{name.Text}:'", value.Offset);
        }

        if (op.Kind == KqlTokenKind.Comparison)
        {
            var value = Take();
            if (value.Kind == KqlTokenKind.Quoted || (value.Kind == KqlTokenKind.Word && value.Segments.Count == 1))
            {
                return new KqlRange(name.Text, name.Offset, op.Text, value.Text, value.Offset);
            }

            throw new KqlSyntaxException($"expected a value after '{name.Text} {op.Text}'", value.Offset);
        }

        throw op.Kind is KqlTokenKind.End or KqlTokenKind.And or KqlTokenKind.Or or KqlTokenKind.RightParen
            ? new KqlSyntaxException($"'{name.Text}' needs a field: write field:value", name.Offset)
            : new KqlSyntaxException($"expected ':' or a comparison after '{name.Text}'", op.Offset);
    }
}
