namespace Analytics.Inspection.Detectors;

/// <summary>
/// SQL injection by token shape, not by payload list: the value is tokenised as SQL as is and
/// as the continuation of a single- or double-quoted literal (and of a backtick identifier, for
/// an alias breakout), and the token sequence is
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
    public static readonly Rule PostgresCast = new("sqli-postgres-cast", Categories.Sqli, 5, "a PostgreSQL '::type' cast of a name, literal or call");
    public static readonly Rule CaseExpression = new("sqli-case-expression", Categories.Sqli, 5, "a CASE WHEN … THEN … END expression on constants or inside an expression");

    /// <summary>
    /// Characters that make no token any rule looks at on its own (outside the comments "--" and
    /// "/*"): with only these, a finding needs one of <see cref="SqlTokenizer.TriggerWords"/>. Not
    /// in the set, so always tokenised: quotes, '`', ';', '(', ')', '@', '#', '|', '&amp;', controls, non-ASCII.
    /// </summary>
    private static readonly ValueChars Inert = ValueChars.Of(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \t\r\n\f\v.,_:+=<>!%^~?[]{}\\$/-*");

    public void Scan(string value, in ValueChars chars, FindingSet findings)
    {
        var span = value.AsSpan();
        if (chars.Has(':') && PostgresCastFinder.HasCast(span))
        {
            findings.Add(PostgresCast);
        }

        if (span.Length < 2 || (chars.OnlyFrom(Inert) && !HasComment(span, chars) && !SqlTokenizer.MayHaveTriggerWord(span)))
        {
            return;
        }

        Span<SqlToken> tokens = stackalloc SqlToken[96];
        var n = SqlTokenizer.Tokenize(span, '\0', tokens);
        Analyze(span, tokens[..n], fromQuote: false, findings);
        if (chars.Has('\''))
        {
            n = SqlTokenizer.Tokenize(span, '\'', tokens);
            Analyze(span, tokens[..n], fromQuote: true, findings);
        }

        if (chars.Has('"'))
        {
            n = SqlTokenizer.Tokenize(span, '"', tokens);
            Analyze(span, tokens[..n], fromQuote: true, findings);
        }

        if (chars.Has('`'))
        {
            n = SqlTokenizer.Tokenize(span, '`', tokens);
            CheckIdentifierBreakout(span, tokens[..n], findings);
        }
    }

    /// <summary>
    /// The value closes a backtick identifier the application opened and goes on with an alias and
    /// FROM (<c>id` AS `x` FROM users</c>): the select list of the application's query rewritten.
    /// The alias must be quoted: a stray backtick in prose ("it` as well from") is followed by words.
    /// </summary>
    private static void CheckIdentifierBreakout(ReadOnlySpan<char> s, ReadOnlySpan<SqlToken> all, FindingSet findings)
    {
        if (all.Length < 4 || all[0].Unterminated)
        {
            return;
        }

        Span<SqlToken> sig = stackalloc SqlToken[3];
        var m = 0;
        for (var j = 1; j < all.Length && m < sig.Length; j++)
        {
            if (all[j].Kind != SqlTokenKind.Comment)
            {
                sig[m++] = all[j];
            }
        }

        if (m == 3 && IsWord(s, sig[0], "as") && sig[1].Kind is SqlTokenKind.Word or SqlTokenKind.String && sig[1].Quote is '`' or '"'
            && !sig[1].Unterminated && IsWord(s, sig[2], "from"))
        {
            findings.Add(Breakout);
        }
    }

    /// <summary>A function name right against its '(' with nothing passed: "f()" or "f(" at the end of the value.</summary>
    private static bool IsEmptyCall(ReadOnlySpan<char> s, ReadOnlySpan<SqlToken> sig, int i)
    {
        var t = sig[i];
        var end = t.Start + t.Length;
        if (end >= s.Length || s[end] != '(' || i + 1 >= sig.Length || sig[i + 1].Kind != SqlTokenKind.OpenParen)
        {
            return false;
        }

        return i + 2 == sig.Length || sig[i + 2].Kind == SqlTokenKind.CloseParen;
    }

    private static bool HasComment(ReadOnlySpan<char> s, in ValueChars chars) =>
        (chars.Has('/') && s.Contains("/*", StringComparison.Ordinal)) || (chars.Has('-') && s.Contains("--", StringComparison.Ordinal));

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
                    if (i > 0 && sig[i - 1].Kind is SqlTokenKind.Number or SqlTokenKind.String or SqlTokenKind.CloseParen
                        && (i + 1 == sig.Length || sig[i + 1].Kind is not (SqlTokenKind.Word or SqlTokenKind.String or SqlTokenKind.Keyword)))
                    {
                        // "-1 union", "') union": a union right after a literal is a query being extended.
                        findings.Add(Union);
                    }

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
                    if (i + 1 < sig.Length && LooksLikeStatement(s, sig, i + 1))
                    {
                        findings.Add(Stacked);
                    }

                    break;
                case SqlTokenKind.Function:
                    if (IsWord(s, t, "if") && IsConstantCondition(s, sig, i + 1))
                    {
                        findings.Add(Tautology);
                    }

                    if (SqlTokenizer.IsDangerousFunction(s.Slice(t.Start, t.Length)))
                    {
                        findings.Add(DangerousFunction);
                    }
                    else if (SqlTokenizer.IsCatalogFunction(s.Slice(t.Start, t.Length)) && IsEmptyCall(s, sig, i))
                    {
                        // "database()", "db_name(": asking which database this is; "the database (MySQL)" passes something.
                        findings.Add(SystemObject);
                    }
                    else if (sqlish || fromQuote || functions > 1 || HasSqlPunctuationAround(sig, i))
                    {
                        findings.Add(Function);
                    }

                    break;
                case SqlTokenKind.Select:
                    if (LooksLikeStatement(s, sig, i) && (i == 0 || sig[i - 1].Kind is SqlTokenKind.OpenParen or SqlTokenKind.Semicolon))
                    {
                        findings.Add(SelectFrom);
                    }

                    if (i + 1 < sig.Length && IsSelectedDangerousName(s, sig, i + 1))
                    {
                        findings.Add(DangerousFunction);
                    }

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
                    else if (IsWord(s, t, "procedure") && i + 2 < sig.Length && IsWord(s, sig[i + 1], "analyse") && sig[i + 2].Kind == SqlTokenKind.OpenParen
                        && (i + 3 == sig.Length || sig[i + 3].Kind is SqlTokenKind.Number or SqlTokenKind.Function or SqlTokenKind.Select or SqlTokenKind.CloseParen))
                    {
                        // MySQL's PROCEDURE ANALYSE(…) describes the columns of the result: schema enumeration. Its
                        // arguments are numbers (or an injected call); "the procedure analyse (see below)" passes words.
                        findings.Add(SystemObject);
                    }
                    else if (IsWord(s, t, "case") && IsCaseProbe(s, sig, i))
                    {
                        findings.Add(CaseExpression);
                    }
                    else if (SqlTokenizer.IsCatalogName(s.Slice(t.Start, t.Length))
                        || (IsWord(s, t, "into") && i + 1 < sig.Length && (IsWord(s, sig[i + 1], "outfile") || IsWord(s, sig[i + 1], "dumpfile"))))
                    {
                        findings.Add(SystemObject);
                    }

                    break;
                case SqlTokenKind.Word:
                    if (t.Quote == '`' && SqlTokenizer.IsCatalogName(s.Slice(t.Start, t.Length)))
                    {
                        // `information_schema`.`tables`: the catalogue named as a MySQL identifier.
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
                    if (i == 0 && LooksLikeStatement(s, sig, i) && !IsWord(s, t, "set"))
                    {
                        // A whole statement as the value: "drop table users", "insert into …".
                        findings.Add(SelectFrom);
                    }

                    if (IsWord(s, t, "waitfor") && i + 1 < sig.Length && (IsWord(s, sig[i + 1], "delay") || IsWord(s, sig[i + 1], "time")))
                    {
                        findings.Add(DangerousFunction);
                    }
                    else if (IsWord(s, t, "execute") && i + 2 < sig.Length && IsWord(s, sig[i + 1], "immediate") && sig[i + 2].Kind is SqlTokenKind.String or SqlTokenKind.Variable)
                    {
                        // Oracle's EXECUTE IMMEDIATE runs a string as SQL: dynamic SQL the value itself writes.
                        findings.Add(DangerousFunction);
                    }
                    else if ((IsWord(s, t, "exec") || IsWord(s, t, "execute")) && i + 1 < sig.Length && sig[i + 1].Kind is SqlTokenKind.Word or SqlTokenKind.Function
                        && (s.Slice(sig[i + 1].Start, sig[i + 1].Length).StartsWith("xp_", StringComparison.OrdinalIgnoreCase) || s.Slice(sig[i + 1].Start, sig[i + 1].Length).StartsWith("sp_", StringComparison.OrdinalIgnoreCase)))
                    {
                        findings.Add(DangerousFunction);
                    }

                    break;
                case SqlTokenKind.Logic:
                    CheckTautology(s, sig, i, findings);
                    break;
                case SqlTokenKind.OpenParen:
                    CheckConstantComparison(sig, i, findings);
                    break;
            }
        }

        if (fromQuote)
        {
            CheckBreakout(s, all, sig, findings);
        }
        else if ((sig.Length > 2 && sig[0].Kind == SqlTokenKind.Number && sig[1].Kind == SqlTokenKind.CloseParen
            && sig[2].Kind is SqlTokenKind.Logic or SqlTokenKind.Union or SqlTokenKind.Semicolon)
            || IsParenthesisBreakout(s, sig) || IsCommentedLogic(s, all))
        {
            findings.Add(Breakout);
        }

        var last = all[^1];
        if (last.Kind == SqlTokenKind.Comment && all.Length > 1 && (sqlish || fromQuote || functions > 0))
        {
            findings.Add(Comment);
        }

        for (var j = 0; j < all.Length; j++)
        {
            var t = all[j];
            if (t.Kind == SqlTokenKind.Comment && t.Length >= 3 && s[t.Start] == '/'
                && (s[t.Start + 2] == '!' || IsOptimizerHint(s, t) || IsCommentAsSpace(s, all, j)))
            {
                findings.Add(Comment);
            }
        }
    }

    /// <summary>
    /// "select pg_sleep", "select dbms_pipe.receive_message": a dangerous function selected without its call. Only
    /// the names with '_' (sleep and benchmark are English words), and before a '.' only Oracle's packages
    /// ("select load_file.txt" names a file).
    /// </summary>
    private static bool IsSelectedDangerousName(ReadOnlySpan<char> s, ReadOnlySpan<SqlToken> sig, int k)
    {
        var name = s.Slice(sig[k].Start, sig[k].Length);
        if (sig[k].Kind != SqlTokenKind.Word || !name.Contains('_') || !SqlTokenizer.IsDangerousFunction(name))
        {
            return false;
        }

        return k + 1 >= sig.Length || sig[k + 1].Kind != SqlTokenKind.Dot
            || name.StartsWith("dbms_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("utl_", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// An optimizer hint, <c>/*+ INDEX(t) */</c> (Oracle, MySQL): a comment the database reads, closed, its
    /// first word a hint's name. <c>/*++</c> is a C doc-comment banner, an unclosed <c>/*+</c> a path glob.
    /// </summary>
    private static bool IsOptimizerHint(ReadOnlySpan<char> s, SqlToken t)
    {
        if (t.Length < 6 || s[t.Start + 2] != '+' || !s.Slice(t.Start, t.Length).EndsWith("*/", StringComparison.Ordinal))
        {
            return false;
        }

        var body = s.Slice(t.Start + 3, t.Length - 5).TrimStart();
        return !body.IsEmpty && char.IsAsciiLetter(body[0]);
    }

    /// <summary>
    /// A block comment in place of the space after a SQL keyword, against the tokens on both sides
    /// (<c>declare/**/@x</c>, <c>union/**/select</c>): the filter-evasion spelling; prose has no comments
    /// and code puts them between statements, not inside one.
    /// </summary>
    private static bool IsCommentAsSpace(ReadOnlySpan<char> s, ReadOnlySpan<SqlToken> all, int j)
    {
        if (j == 0 || j + 1 >= all.Length)
        {
            return false;
        }

        var before = all[j - 1];
        var comment = all[j];
        var after = all[j + 1];
        return before.Kind is SqlTokenKind.Statement or SqlTokenKind.Select or SqlTokenKind.Union or SqlTokenKind.Logic or SqlTokenKind.Keyword
            && before.Quote == '\0' && before.Start + before.Length == comment.Start && comment.Start + comment.Length == after.Start
            && after.Kind != SqlTokenKind.Comment && s[comment.Start + comment.Length - 1] == '/';
    }

    /// <summary>
    /// A number followed by logic whose operand sits behind a block comment (<c>9999 or /*+ x */ true</c>,
    /// <c>1 and/**/1</c>): a numeric parameter extended with a condition and a comment to slip it past filters.
    /// </summary>
    private static bool IsCommentedLogic(ReadOnlySpan<char> s, ReadOnlySpan<SqlToken> all) =>
        all.Length >= 4 && all[0].Kind == SqlTokenKind.Number && all[1].Kind == SqlTokenKind.Logic
        && all[2].Kind == SqlTokenKind.Comment && s[all[2].Start] == '/'
        && (all[3].Kind is SqlTokenKind.Number or SqlTokenKind.Function or SqlTokenKind.OpenParen or SqlTokenKind.Select
            || IsWord(s, all[3], "true") || IsWord(s, all[3], "false") || IsWord(s, all[3], "null"));

    /// <summary>
    /// The value closes the application's parenthesis and compares with LIKE, RLIKE or REGEXP
    /// (<c>) like (</c>, <c>1) rlike (select …</c>): a value that starts with ')' is no text, and after a
    /// number the comparison must take a query, a call or a literal ("1) Like (or share) this").
    /// </summary>
    private static bool IsParenthesisBreakout(ReadOnlySpan<char> s, ReadOnlySpan<SqlToken> sig)
    {
        var k = sig.Length > 0 && sig[0].Kind == SqlTokenKind.Number ? 1 : 0;
        var opened = k;
        while (k < sig.Length && sig[k].Kind == SqlTokenKind.CloseParen)
        {
            k++;
        }

        if (k == opened || k + 1 >= sig.Length || !(IsWord(s, sig[k], "like") || IsWord(s, sig[k], "rlike") || IsWord(s, sig[k], "regexp")))
        {
            return false;
        }

        var operand = sig[k + 1];
        if (opened == 0)
        {
            return operand.Kind is SqlTokenKind.OpenParen or SqlTokenKind.Number or SqlTokenKind.String or SqlTokenKind.Select or SqlTokenKind.Function;
        }

        if (operand.Kind == SqlTokenKind.OpenParen && k + 2 < sig.Length)
        {
            operand = sig[k + 2];
        }

        return operand.Kind is SqlTokenKind.Select or SqlTokenKind.Function || (operand.Kind is SqlTokenKind.Number or SqlTokenKind.String && sig[k + 1].Kind == SqlTokenKind.OpenParen);
    }

    /// <summary>
    /// <c>if(2=…</c>: MySQL's IF with a number compared by SQL's single '=' (or '&lt;&gt;') as its condition, the
    /// boolean-blind probe. C-like code compares with "==", and a formula's IF compares a cell or name.
    /// </summary>
    private static bool IsConstantCondition(ReadOnlySpan<char> s, ReadOnlySpan<SqlToken> sig, int open)
    {
        if (open + 2 >= sig.Length || sig[open].Kind != SqlTokenKind.OpenParen || sig[open + 1].Kind != SqlTokenKind.Number)
        {
            return false;
        }

        var op = sig[open + 2];
        var text = s.Slice(op.Start, op.Length);
        return op.Kind == SqlTokenKind.Compare && (text is "=" || text is "<>")
            && (open + 3 == sig.Length || sig[open + 3].Kind != SqlTokenKind.Compare);
    }

    private static void CheckBreakout(ReadOnlySpan<char> s, ReadOnlySpan<SqlToken> all, ReadOnlySpan<SqlToken> sig, FindingSet findings)
    {
        // all[0] is the application's string literal; an unterminated one means the value never left it.
        if (all[0].Unterminated || all.Length < 2)
        {
            return;
        }

        var quote = all[0].Quote;
        var next = all[1];
        if (next.Kind == SqlTokenKind.Comment)
        {
            // admin'-- / admin'/* / admin'# (a '#' comment only when nothing follows it: "FOO'# BAR" is text).
            if (s[next.Start] != '#' || s[(next.Start + 1)..].Trim().IsEmpty)
            {
                findings.Add(Breakout);
            }

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
                if (IsCondition(s, sig, k + 1, all))
                {
                    findings.Add(Breakout);
                }

                break;
            case SqlTokenKind.Operator or SqlTokenKind.Compare:
                if (k + 1 < sig.Length)
                {
                    var after = sig[k + 1];
                    if ((after.Kind == SqlTokenKind.String && after.Quote == quote) || after.Kind is SqlTokenKind.Function or SqlTokenKind.Select or SqlTokenKind.Variable
                        || (after.Kind == SqlTokenKind.Number && (k + 2 == sig.Length ? EndsWithComment(all) : sig[k + 2].Kind is SqlTokenKind.Compare or SqlTokenKind.Logic or SqlTokenKind.Operator)))
                    {
                        findings.Add(Breakout);
                    }
                }

                break;
            case SqlTokenKind.Semicolon:
                if ((k + 1 < sig.Length && LooksLikeStatement(s, sig, k + 1)) || (k + 1 == sig.Length && EndsWithComment(all)))
                {
                    findings.Add(Breakout);
                }

                break;
            case SqlTokenKind.Union:
                if (k + 1 < sig.Length && (sig[k + 1].Kind is SqlTokenKind.Select or SqlTokenKind.OpenParen || IsWord(s, sig[k + 1], "all")))
                {
                    findings.Add(Breakout);
                }

                break;
            case SqlTokenKind.Select or SqlTokenKind.Statement:
                if (LooksLikeStatement(s, sig, k))
                {
                    findings.Add(Breakout);
                }

                break;
            case SqlTokenKind.Keyword:
                // ' having 1=1 / ' like '% / ' group by 1
                if ((IsWord(s, sig[k], "having") || IsWord(s, sig[k], "like") || IsWord(s, sig[k], "rlike") || IsWord(s, sig[k], "regexp") || IsWord(s, sig[k], "into"))
                    && IsCondition(s, sig, k + 1, all))
                {
                    findings.Add(Breakout);
                }

                break;
        }
    }

    /// <summary>
    /// A complete <c>CASE [operand] WHEN … THEN … [ELSE …] END</c> in SQL's grammar (each branch a short
    /// expression, at most one bare column name in a result), that either decides on constants only
    /// (<c>case when 2095=9074 then 1 else null end</c>, <c>case 1 when 2 then 2 end</c>: a boolean-blind
    /// probe, since no query needs to compare literals) or sits inside an expression after <c>(</c>, <c>,</c>,
    /// an operator or a statement (<c>1,(case when …)</c>). Prose ("in case when it rains then stay home,
    /// end of story") has words where SQL has expressions and fails the grammar.
    /// </summary>
    private static bool IsCaseProbe(ReadOnlySpan<char> s, ReadOnlySpan<SqlToken> sig, int at)
    {
        var constant = true;
        var expression = false;
        var j = at + 1;
        if (j < sig.Length && !IsWord(s, sig[j], "when"))
        {
            // The simple form: CASE operand WHEN value …
            if (!Branch(s, sig, ref j, maxWords: 1, ref constant, ref expression) || j >= sig.Length || !IsWord(s, sig[j], "when"))
            {
                return false;
            }
        }

        var whens = 0;
        while (j < sig.Length && IsWord(s, sig[j], "when"))
        {
            j++;
            if (!Branch(s, sig, ref j, maxWords: 2, ref constant, ref expression) || j >= sig.Length || !IsWord(s, sig[j], "then"))
            {
                return false;
            }

            j++;
            if (!Result(s, sig, ref j))
            {
                return false;
            }

            whens++;
        }

        if (whens == 0 || j >= sig.Length)
        {
            return false;
        }

        if (IsWord(s, sig[j], "else"))
        {
            j++;
            if (!Result(s, sig, ref j))
            {
                return false;
            }
        }

        if (j >= sig.Length || !IsWord(s, sig[j], "end"))
        {
            return false;
        }

        var before = at == 0 ? SqlTokenKind.None : sig[at - 1].Kind;
        return constant || (expression && before is SqlTokenKind.OpenParen or SqlTokenKind.Comma or SqlTokenKind.Semicolon or SqlTokenKind.Select
            or SqlTokenKind.Operator or SqlTokenKind.Compare or SqlTokenKind.Logic);

        static bool Result(ReadOnlySpan<char> s, ReadOnlySpan<SqlToken> sig, ref int j)
        {
            var constant = true;
            var expression = false;
            return Branch(s, sig, ref j, maxWords: 2, ref constant, ref expression);
        }

        // One branch up to the next CASE keyword: 1-16 tokens, at most maxWords bare names; whether it has SQL expression syntax.
        static bool Branch(ReadOnlySpan<char> s, ReadOnlySpan<SqlToken> sig, ref int j, int maxWords, ref bool constant, ref bool expression)
        {
            var start = j;
            var words = 0;
            while (j < sig.Length && j - start <= 16)
            {
                var t = sig[j];
                if (IsWord(s, t, "when") || IsWord(s, t, "then") || IsWord(s, t, "else") || IsWord(s, t, "end"))
                {
                    break;
                }

                if (t.Kind is SqlTokenKind.Word or SqlTokenKind.Keyword or SqlTokenKind.Statement or SqlTokenKind.Union
                    && !(IsWord(s, t, "null") || IsWord(s, t, "true") || IsWord(s, t, "false") || IsWord(s, t, "from")))
                {
                    words++;
                    constant = false;
                }
                else if (t.Kind is SqlTokenKind.Compare or SqlTokenKind.Number or SqlTokenKind.String or SqlTokenKind.Function or SqlTokenKind.OpenParen)
                {
                    expression = true;
                }

                j++;
            }

            return j > start && j < sig.Length && words <= maxWords && j - start <= 16;
        }
    }

    private static bool EndsWithComment(ReadOnlySpan<SqlToken> all) => all[^1].Kind == SqlTokenKind.Comment;

    /// <summary>An operand that makes a condition: compared, combined, called, or a constant the query ends with.</summary>
    private static bool IsCondition(ReadOnlySpan<char> s, ReadOnlySpan<SqlToken> sig, int j, ReadOnlySpan<SqlToken> all)
    {
        while (j < sig.Length && (sig[j].Kind == SqlTokenKind.OpenParen || (sig[j].Kind == SqlTokenKind.Compare && s[sig[j].Start] == '!') || IsWord(s, sig[j], "not")))
        {
            j++;
        }

        if (j >= sig.Length)
        {
            return false;
        }

        var a = sig[j];
        if (a.Kind is SqlTokenKind.Function or SqlTokenKind.Select)
        {
            return true;
        }

        if (!IsOperand(a.Kind))
        {
            return false;
        }

        if (j + 1 < sig.Length)
        {
            var op = sig[j + 1];
            if (op.Kind is SqlTokenKind.Compare or SqlTokenKind.Logic)
            {
                return true;
            }

            if (op.Kind == SqlTokenKind.Keyword && (IsWord(s, op, "like") || IsWord(s, op, "rlike") || IsWord(s, op, "regexp") || IsWord(s, op, "between") || IsWord(s, op, "is") || IsWord(s, op, "in") || IsWord(s, op, "sounds")))
            {
                return true;
            }

            return false;
        }

        // The last significant token: "' or 1--", "' or true#".
        return (a.Kind is SqlTokenKind.Number || IsWord(s, a, "true") || IsWord(s, a, "null")) && (EndsWithComment(all) || a.Kind == SqlTokenKind.Number);
    }

    /// <summary>A statement keyword with the shape of a statement after it ("drop table", "insert into", "exec xp_…").</summary>
    private static bool LooksLikeStatement(ReadOnlySpan<char> s, ReadOnlySpan<SqlToken> sig, int k)
    {
        var t = sig[k];
        var next = k + 1 < sig.Length ? sig[k + 1] : default;
        var next2 = k + 2 < sig.Length ? sig[k + 2] : default;
        if (t.Kind == SqlTokenKind.Select)
        {
            return next.Kind is SqlTokenKind.Number or SqlTokenKind.String or SqlTokenKind.Function or SqlTokenKind.Variable or SqlTokenKind.OpenParen
                || (next.Kind == SqlTokenKind.Operator && s[next.Start] == '*')
                || (next.Kind is SqlTokenKind.Word or SqlTokenKind.Keyword && (next2.Kind is SqlTokenKind.Comma or SqlTokenKind.Dot || IsWord(s, next2, "from")));
        }

        if (t.Kind != SqlTokenKind.Statement)
        {
            return false;
        }

        if (IsWord(s, t, "insert") || IsWord(s, t, "replace"))
        {
            return IsWord(s, next, "into");
        }

        if (IsWord(s, t, "delete"))
        {
            return IsWord(s, next, "from");
        }

        if (IsWord(s, t, "update"))
        {
            return next.Kind == SqlTokenKind.Word && IsWord(s, next2, "set");
        }

        if (IsWord(s, t, "drop") || IsWord(s, t, "create") || IsWord(s, t, "alter") || IsWord(s, t, "truncate"))
        {
            return IsWord(s, next, "table") || IsWord(s, next, "database") || IsWord(s, next, "user") || IsWord(s, next, "procedure") || IsWord(s, next, "function")
                || IsWord(s, next, "view") || IsWord(s, next, "index") || IsWord(s, next, "trigger") || IsWord(s, next, "schema") || IsWord(s, next, "login")
                || IsWord(s, next, "temporary") || IsWord(s, next, "column");
        }

        if (IsWord(s, t, "exec") || IsWord(s, t, "execute"))
        {
            var name = next.Length > 0 ? s.Slice(next.Start, next.Length) : default;
            return next.Kind is SqlTokenKind.OpenParen or SqlTokenKind.Variable or SqlTokenKind.Function
                || name.StartsWith("xp_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("sp_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("master", StringComparison.OrdinalIgnoreCase);
        }

        if (IsWord(s, t, "declare"))
        {
            return next.Kind == SqlTokenKind.Variable;
        }

        if (IsWord(s, t, "waitfor"))
        {
            return IsWord(s, next, "delay") || IsWord(s, next, "time");
        }

        if (IsWord(s, t, "shutdown"))
        {
            return next.Kind is SqlTokenKind.None or SqlTokenKind.Semicolon || k + 1 == sig.Length;
        }

        if (IsWord(s, t, "set"))
        {
            return next.Kind == SqlTokenKind.Variable || (next.Kind == SqlTokenKind.Word && next2.Kind == SqlTokenKind.Compare);
        }

        if (IsWord(s, t, "grant") || IsWord(s, t, "revoke"))
        {
            return next.Kind is SqlTokenKind.Word or SqlTokenKind.Keyword or SqlTokenKind.Select or SqlTokenKind.Statement && (IsWord(s, next2, "on") || next2.Kind == SqlTokenKind.Comma);
        }

        if (IsWord(s, t, "call"))
        {
            return next.Kind is SqlTokenKind.Word or SqlTokenKind.Function && next2.Kind == SqlTokenKind.OpenParen;
        }

        if (IsWord(s, t, "load"))
        {
            return IsWord(s, next, "data") || IsWord(s, next, "xml");
        }

        return false;
    }

    private static void CheckTautology(ReadOnlySpan<char> s, ReadOnlySpan<SqlToken> sig, int i, FindingSet findings)
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

        // "and(1)=1": the operand may close the parenthesis it was opened in before the comparison.
        var c = j + 1;
        while (c < sig.Length && sig[c].Kind == SqlTokenKind.CloseParen && c <= j + 2)
        {
            c++;
        }

        if (c + 1 < sig.Length && IsOperand(a.Kind) && sig[c].Kind == SqlTokenKind.Compare && IsOperand(sig[c + 1].Kind)
            && (IsLiteral(a.Kind) || IsLiteral(sig[c + 1].Kind)))
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

        // "and -8=-3", "and 8=(3)": a signed or parenthesised literal on both sides of the comparison.
        var left = ConstantExpressionEnd(s, sig, i + 1);
        if (left > 0 && left < sig.Length && sig[left].Kind == SqlTokenKind.Compare && ConstantExpressionEnd(s, sig, left + 1) > 0)
        {
            findings.Add(Tautology);
        }
    }

    /// <summary>
    /// The end of a signed or parenthesised literal starting at <paramref name="k"/> (<c>-8</c>, <c>(3)</c>,
    /// <c>-(1)</c>), or -1 when there is none. Arithmetic between literals is left out: <c>2+2=4</c> is prose too.
    /// </summary>
    private static int ConstantExpressionEnd(ReadOnlySpan<char> s, ReadOnlySpan<SqlToken> sig, int k)
    {
        while (k < sig.Length && (sig[k].Kind == SqlTokenKind.OpenParen || (sig[k].Kind == SqlTokenKind.Operator && sig[k].Length == 1 && s[sig[k].Start] is '+' or '-' or '~')))
        {
            k++;
        }

        if (k >= sig.Length || !IsLiteral(sig[k].Kind))
        {
            return -1;
        }

        k++;
        while (k < sig.Length && sig[k].Kind == SqlTokenKind.CloseParen)
        {
            k++;
        }

        return k;
    }

    /// <summary>
    /// Two numbers compared as a value, a function's argument or a term of arithmetic:
    /// <c>iif(3204=8489,3204,1/0)</c>, <c>make_set(7729=7729,1)</c>, <c>(1589=1589)*1</c>, the
    /// boolean-blind probes of SQL injection tools. A comparison of constants is never data.
    /// </summary>
    private static void CheckConstantComparison(ReadOnlySpan<SqlToken> sig, int i, FindingSet findings)
    {
        if (i + 4 < sig.Length && sig[i + 1].Kind == SqlTokenKind.Number && sig[i + 2].Kind == SqlTokenKind.Compare && sig[i + 3].Kind == SqlTokenKind.Number
            && (sig[i + 4].Kind == SqlTokenKind.Comma
                || (sig[i + 4].Kind == SqlTokenKind.CloseParen && i + 5 < sig.Length && sig[i + 5].Kind is SqlTokenKind.Operator or SqlTokenKind.Logic or SqlTokenKind.Compare)))
        {
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
