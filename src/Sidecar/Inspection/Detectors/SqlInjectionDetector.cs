namespace Analytics.Sidecar.Inspection.Detectors;

/// <summary>
/// SQL injection by token shape, not by payload list: the value is tokenised as SQL as is and
/// as the continuation of a single- or double-quoted literal, and the token sequence is
/// checked for what only injected SQL does — leave the literal and continue with logic,
/// operators, comments or a new statement; UNION SELECT; tautologies; calls of functions
/// that only attackers need (sleep, benchmark, load_file …).
/// </summary>
internal sealed class SqlInjectionDetector : IDetector
{
    public static readonly Rule Union = new("sqli-union-select", Categories.Sqli, 5, "UNION followed by SELECT");
    public static readonly Rule Stacked = new("sqli-stacked-query", Categories.Sqli, 5, "a second statement after ';'");
    public static readonly Rule Breakout = new("sqli-literal-breakout", Categories.Sqli, 5, "a quoted or numeric literal closed and followed by SQL");
    public static readonly Rule Tautology = new("sqli-tautology", Categories.Sqli, 5, "boolean logic with a constant comparison");
    public static readonly Rule DangerousFunction = new("sqli-dangerous-function", Categories.Sqli, 5, "a time-delay, file or out-of-band SQL function");
    public static readonly Rule Function = new("sqli-function-call", Categories.Sqli, 3, "a SQL function call in a SQL context");
    public static readonly Rule SelectFrom = new("sqli-select-from", Categories.Sqli, 4, "SELECT … FROM");
    public static readonly Rule OrderBy = new("sqli-order-by-number", Categories.Sqli, 5, "ORDER/GROUP BY a column number (column counting)");
    public static readonly Rule Comment = new("sqli-comment", Categories.Sqli, 3, "a SQL comment ending or splitting SQL tokens");
    public static readonly Rule SystemObject = new("sqli-system-object", Categories.Sqli, 5, "a database catalogue or system variable");

    public void Scan(string value, FindingSet findings)
    {
        var span = value.AsSpan();
        if (span.Length < 2)
        {
            return;
        }

        Span<SqlToken> tokens = stackalloc SqlToken[96];
        var n = SqlTokenizer.Tokenize(span, '\0', tokens);
        Analyze(span, tokens[..n], fromQuote: false, findings);
        if (span.Contains('\''))
        {
            n = SqlTokenizer.Tokenize(span, '\'', tokens);
            Analyze(span, tokens[..n], fromQuote: true, findings);
        }

        if (span.Contains('"'))
        {
            n = SqlTokenizer.Tokenize(span, '"', tokens);
            Analyze(span, tokens[..n], fromQuote: true, findings);
        }
    }

    private static void Analyze(ReadOnlySpan<char> s, ReadOnlySpan<SqlToken> all, bool fromQuote, FindingSet findings)
    {
        if (all.Length == 0)
        {
            return;
        }

        Span<SqlToken> sig = stackalloc SqlToken[all.Length];
        var m = 0;
        var sqlish = false;
        var functions = 0;
        foreach (var t in all)
        {
            if (t.Kind != SqlTokenKind.Comment)
            {
                sig[m++] = t;
            }

            if (t.Kind is SqlTokenKind.Union or SqlTokenKind.Select or SqlTokenKind.Statement or SqlTokenKind.Logic)
            {
                sqlish = true;
            }

            if (t.Kind == SqlTokenKind.Function)
            {
                functions++;
            }
        }

        sig = sig[..m];
        for (var i = 0; i < sig.Length; i++)
        {
            var t = sig[i];
            switch (t.Kind)
            {
                case SqlTokenKind.Union:
                    for (var j = i + 1; j < sig.Length && j <= i + 4; j++)
                    {
                        if (sig[j].Kind == SqlTokenKind.Select)
                        {
                            findings.Add(Union);
                            break;
                        }

                        if (!(sig[j].Kind == SqlTokenKind.OpenParen || IsWord(s, sig[j], "all") || IsWord(s, sig[j], "distinct")))
                        {
                            break;
                        }
                    }

                    break;
                case SqlTokenKind.Semicolon:
                    if (i + 1 < sig.Length && sig[i + 1].Kind is SqlTokenKind.Statement or SqlTokenKind.Select
                        && (i + 2 >= sig.Length || sig[i + 2].Kind is not (SqlTokenKind.Semicolon or SqlTokenKind.Comma)))
                    {
                        findings.Add(Stacked);
                    }

                    break;
                case SqlTokenKind.Function:
                    if (SqlTokenizer.IsDangerousFunction(s.Slice(t.Start, t.Length)))
                    {
                        findings.Add(DangerousFunction);
                    }
                    else if (sqlish || fromQuote || functions > 1 || HasSqlPunctuationAround(sig, i))
                    {
                        findings.Add(Function);
                    }

                    break;
                case SqlTokenKind.Select:
                    for (var j = i + 1; j < sig.Length; j++)
                    {
                        if (IsWord(s, sig[j], "from") && j > i + 1)
                        {
                            findings.Add(SelectFrom);
                            break;
                        }
                    }

                    break;
                case SqlTokenKind.Keyword:
                    if ((IsWord(s, t, "order") || IsWord(s, t, "group")) && i + 2 < sig.Length && IsWord(s, sig[i + 1], "by") && sig[i + 2].Kind == SqlTokenKind.Number)
                    {
                        findings.Add(OrderBy);
                    }
                    else if (IsWord(s, t, "information_schema") || IsWord(s, t, "sysobjects") || IsWord(s, t, "syscolumns") || IsWord(s, t, "sysusers")
                        || (IsWord(s, t, "into") && i + 1 < sig.Length && (IsWord(s, sig[i + 1], "outfile") || IsWord(s, sig[i + 1], "dumpfile"))))
                    {
                        findings.Add(SystemObject);
                    }

                    break;
                case SqlTokenKind.Variable:
                    if (t.Length > 3 && s[t.Start + 1] == '@')
                    {
                        findings.Add(SystemObject);
                    }

                    break;
                case SqlTokenKind.Statement:
                    if (IsWord(s, t, "waitfor") && i + 1 < sig.Length && (IsWord(s, sig[i + 1], "delay") || IsWord(s, sig[i + 1], "time")))
                    {
                        findings.Add(DangerousFunction);
                    }
                    else if ((IsWord(s, t, "exec") || IsWord(s, t, "execute")) && i + 1 < sig.Length && sig[i + 1].Kind is SqlTokenKind.Word or SqlTokenKind.Function
                        && (s.Slice(sig[i + 1].Start, sig[i + 1].Length).StartsWith("xp_", StringComparison.OrdinalIgnoreCase) || s.Slice(sig[i + 1].Start, sig[i + 1].Length).StartsWith("sp_", StringComparison.OrdinalIgnoreCase)))
                    {
                        findings.Add(DangerousFunction);
                    }

                    break;
                case SqlTokenKind.Logic:
                    CheckTautology(sig, i, findings);
                    break;
            }
        }

        if (fromQuote)
        {
            CheckBreakout(all, sig, findings);
        }
        else if (sig.Length > 2 && sig[0].Kind == SqlTokenKind.Number && sig[1].Kind == SqlTokenKind.CloseParen
            && sig[2].Kind is SqlTokenKind.Logic or SqlTokenKind.Union or SqlTokenKind.Semicolon)
        {
            findings.Add(Breakout);
        }

        var last = all[^1];
        if (last.Kind == SqlTokenKind.Comment && all.Length > 1 && (sqlish || fromQuote || functions > 0))
        {
            findings.Add(Comment);
        }

        foreach (var t in all)
        {
            if (t.Kind == SqlTokenKind.Comment && t.Length >= 3 && s[t.Start] == '/' && s[t.Start + 2] == '!')
            {
                findings.Add(Comment);
            }
        }
    }

    private static void CheckBreakout(ReadOnlySpan<SqlToken> all, ReadOnlySpan<SqlToken> sig, FindingSet findings)
    {
        // all[0] is the application's string literal; an unterminated one means the value never left it.
        if (all[0].Unterminated || all.Length < 2)
        {
            return;
        }

        var next = all[1];
        if (next.Kind == SqlTokenKind.Comment)
        {
            findings.Add(Breakout);
            return;
        }

        if (sig.Length < 2)
        {
            return;
        }

        var k = 1;
        while (k < sig.Length && sig[k].Kind == SqlTokenKind.CloseParen)
        {
            k++;
        }

        if (k >= sig.Length)
        {
            return;
        }

        switch (sig[k].Kind)
        {
            case SqlTokenKind.Logic:
                if (k + 1 < sig.Length && sig[k + 1].Kind is SqlTokenKind.Number or SqlTokenKind.String or SqlTokenKind.Function or SqlTokenKind.OpenParen or SqlTokenKind.Variable or SqlTokenKind.Keyword or SqlTokenKind.Select
                    or SqlTokenKind.Compare)
                {
                    findings.Add(Breakout);
                }
                else if (k + 2 < sig.Length && sig[k + 2].Kind is SqlTokenKind.Compare or SqlTokenKind.Logic)
                {
                    findings.Add(Breakout);
                }

                break;
            case SqlTokenKind.Operator or SqlTokenKind.Compare:
                if (k + 1 < sig.Length && sig[k + 1].Kind is SqlTokenKind.String or SqlTokenKind.Number or SqlTokenKind.Function or SqlTokenKind.OpenParen or SqlTokenKind.Select or SqlTokenKind.Variable)
                {
                    findings.Add(Breakout);
                }

                break;
            case SqlTokenKind.Semicolon or SqlTokenKind.Union or SqlTokenKind.Select or SqlTokenKind.Statement:
                findings.Add(Breakout);
                break;
        }
    }

    private static void CheckTautology(ReadOnlySpan<SqlToken> sig, int i, FindingSet findings)
    {
        if (i + 1 >= sig.Length)
        {
            return;
        }

        var a = sig[i + 1];
        if (a.Kind is SqlTokenKind.Function)
        {
            findings.Add(Tautology);
            return;
        }

        var j = i + 1;
        if (a.Kind == SqlTokenKind.OpenParen && i + 2 < sig.Length)
        {
            j++;
            a = sig[j];
        }

        if (a.Kind == SqlTokenKind.Compare && a.Length == 1 && j + 1 < sig.Length)
        {
            // "or not 1" style shapes come through Compare('!').
            j++;
            a = sig[j];
        }

        if (j + 2 < sig.Length && IsOperand(a.Kind) && sig[j + 1].Kind == SqlTokenKind.Compare && IsOperand(sig[j + 2].Kind)
            && (IsLiteral(a.Kind) || IsLiteral(sig[j + 2].Kind)))
        {
            findings.Add(Tautology);
            return;
        }

        if (j + 2 < sig.Length && IsOperand(a.Kind) && sig[j + 1].Kind == SqlTokenKind.Keyword && IsOperand(sig[j + 2].Kind) && IsLiteral(a.Kind))
        {
            // 1 like 1, 1 between 0 and 2, 'a' rlike 'a'
            findings.Add(Tautology);
            return;
        }

        if (i > 0 && IsLiteral(a.Kind) && (j + 1 == sig.Length) && IsLiteral(sig[i - 1].Kind))
        {
            // "1 or 1" / "'a' or 'b'" at the very end.
            findings.Add(Tautology);
        }
    }

    private static bool HasSqlPunctuationAround(ReadOnlySpan<SqlToken> sig, int i) =>
        (i > 0 && sig[i - 1].Kind is SqlTokenKind.Compare or SqlTokenKind.Operator or SqlTokenKind.Comma or SqlTokenKind.OpenParen or SqlTokenKind.Logic)
        || (i + 3 < sig.Length && sig[i + 3].Kind is SqlTokenKind.Comma);

    private static bool IsOperand(SqlTokenKind k) => k is SqlTokenKind.Number or SqlTokenKind.String or SqlTokenKind.Word or SqlTokenKind.Variable or SqlTokenKind.Keyword;

    private static bool IsLiteral(SqlTokenKind k) => k is SqlTokenKind.Number or SqlTokenKind.String;

    private static bool IsWord(ReadOnlySpan<char> s, SqlToken t, string word) =>
        t.Length == word.Length && s.Slice(t.Start, t.Length).Equals(word, StringComparison.OrdinalIgnoreCase);
}
