using System.Text;

namespace Analytics.Search.Query;

/// <summary>Splits KQL text into tokens: parentheses, <c>:</c>, comparisons, words (with <c>\</c> escapes and <c>*</c> wildcards), quoted strings and the keywords and/or/not.</summary>
internal static class KqlLexer
{
    public static List<KqlToken> Tokenize(string text)
    {
        var tokens = new List<KqlToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new KqlToken(KqlTokenKind.End, "", [], i));
                return tokens;
            }

            var c = text[i];
            var start = i;
            switch (c)
            {
                case '(':
                    tokens.Add(new KqlToken(KqlTokenKind.LeftParen, "(", [], i++));
                    continue;
                case ')':
                    tokens.Add(new KqlToken(KqlTokenKind.RightParen, ")", [], i++));
                    continue;
                case ':':
                    tokens.Add(new KqlToken(KqlTokenKind.Colon, ":", [], i++));
                    continue;
                case '<' or '>':
                    i++;
                    if (i < text.Length && text[i] == '=')
                    {
                        i++;
                    }

                    tokens.Add(new KqlToken(KqlTokenKind.Comparison, text[start..i], [], start));
                    continue;
                case '"':
                    tokens.Add(ReadQuoted(text, ref i));
                    continue;
            }

            tokens.Add(ReadWord(text, ref i));
        }
    }

    private static KqlToken ReadQuoted(string text, ref int i)
    {
        var start = i++;
        var sb = new StringBuilder();
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    throw new KqlSyntaxException("a backslash must escape a character", i);
                }

                i++;
            }

            sb.Append(text[i++]);
        }

        if (i >= text.Length)
        {
            throw new KqlSyntaxException("unterminated quoted value", start);
        }

        i++;
        var value = sb.ToString();
        return new KqlToken(KqlTokenKind.Quoted, value, [value], start);
    }

    private static KqlToken ReadWord(string text, ref int i)
    {
        var start = i;
        var segments = new List<string>();
        var sb = new StringBuilder();
        var escaped = false;
        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or ':' or '<' or '>' or '"'))
        {
            var c = text[i];
            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    throw new KqlSyntaxException("a backslash must escape a character", i);
                }

                sb.Append(text[i + 1]);
                escaped = true;
                i += 2;
                continue;
            }

            if (c == '*')
            {
                segments.Add(sb.ToString());
                sb.Clear();
            }
            else
            {
                sb.Append(c);
            }

            i++;
        }

        segments.Add(sb.ToString());
        var raw = text[start..i];
        if (!escaped && segments.Count == 1)
        {
            var kind = raw.ToLowerInvariant() switch
            {
                "and" => KqlTokenKind.And,
                "or" => KqlTokenKind.Or,
                "not" => KqlTokenKind.Not,
                _ => KqlTokenKind.Word,
            };
            if (kind != KqlTokenKind.Word)
            {
                return new KqlToken(kind, raw, [], start);
            }
        }

        return new KqlToken(KqlTokenKind.Word, string.Join("*", segments), segments, start);
    }
}
