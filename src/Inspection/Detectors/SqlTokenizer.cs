using System.Collections.Frozen;

namespace Analytics.Inspection.Detectors;

/// <summary>Token kinds of the SQL tokenizer, folded as libinjection folds them.</summary>
internal enum SqlTokenKind : byte
{
    None,
    String,
    Number,
    Word,
    Keyword,
    Union,
    Select,
    Statement,
    Logic,
    Function,
    Operator,
    Compare,
    Comment,
    OpenParen,
    CloseParen,
    Comma,
    Semicolon,
    Variable,
    Dot,
    Other,
}

/// <summary>A token: kind plus where it is in the value (no substring is allocated).</summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, int Start, int Length, bool Unterminated = false, char Quote = '\0');

/// <summary>
/// A small SQL lexer in the spirit of libinjection: it reads a value as SQL, optionally as if
/// it continued a string literal opened by the application (<paramref name="quote"/>), so
/// <c>' OR 1=1--</c> reads as "string, logic, number, comparison, number, comment" — the
/// shape of an injection — while <c>O'Brien</c> reads as "string, word".
/// </summary>
internal static class SqlTokenizer
{
    /// <summary>
    /// System databases and catalogue tables an attacker enumerates and no API value names by chance
    /// (MSSQL, PostgreSQL, SQLite, MS Access, Oracle). "Northwind" is left out (a demo company real
    /// sample data carries), and so is a bare "schema_name" (an ordinary column or field name).
    /// </summary>
    internal static readonly string[] CatalogNames =
    [
        "information_schema", "sysobjects", "syscolumns", "sysusers", "tempdb", "msdb", "sysdatabases", "sysprocesses",
        "syslogins", "pg_catalog", "pg_toast", "pg_shadow", "pg_authid", "pg_namespace", "sqlite_master", "sqlite_schema",
        "msysaccessobjects", "msysobjects", "msysqueries", "dba_users",
    ];

    private static readonly string[] Statements =
    [
        "insert", "update", "delete", "drop", "create", "alter", "exec", "execute", "declare", "truncate",
        "shutdown", "grant", "revoke", "waitfor", "merge", "call", "load", "handler", "rename", "set",
    ];

    private static readonly string[] Keywords =
    [
        "from", "where", "into", "values", "table", "order", "group", "by", "having", "limit", "offset",
        "like", "rlike", "regexp", "between", "is", "null", "case", "when", "then", "else", "end", "as",
        "distinct", "all", "top", "procedure", "outfile", "dumpfile", "dual", "delay", "sounds", "collate", "escape", "asc", "desc", "join",
        "inner", "outer", "cross", "natural", "using", "column", "database", "schema", "tables", "columns",
        "true", "false", "char", "nchar", "varchar", "nvarchar", "int", "integer", "exists", "not",
        .. CatalogNames,
    ];

    private static readonly string[] Logic = ["and", "or", "xor", "div", "mod"];

    /// <summary>
    /// The words without which a value of letters, digits and harmless punctuation yields no finding:
    /// UNION, SELECT, the statements, the logic operators and the keywords a rule names on its own.
    /// </summary>
    internal static readonly string[] TriggerWords =
    [
        .. Statements, .. Logic, .. CatalogNames, "union", "select", "order", "group", "into", "case",
    ];

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> TriggerWordSet =
        TriggerWords.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Whether a run of word characters is a trigger word. The tokenizer's words are such runs or
    /// parts of longer tokens ("1.union" is one word to it), so false here means no trigger token.
    /// </summary>
    public static bool MayHaveTriggerWord(ReadOnlySpan<char> s)
    {
        for (var i = 0; i < s.Length;)
        {
            if (!IsWordChar(s[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < s.Length && IsWordChar(s[i]))
            {
                i++;
            }

            if (i - start >= 2 && i - start <= 18 && TriggerWordSet.Contains(s[start..i]))
            {
                return true;
            }
        }

        return false;
    }

    public static int Tokenize(ReadOnlySpan<char> s, char quote, Span<SqlToken> tokens)
    {
        var n = 0;
        var i = 0;
        if (quote != '\0')
        {
            // The application opened the string; the value's text up to the first matching quote is its content.
            var end = FindStringEnd(s, 0, quote, out var closed);
            tokens[n++] = new SqlToken(SqlTokenKind.String, 0, end, !closed, quote);
            i = closed ? end + 1 : end;
        }

        while (i < s.Length && n < tokens.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c) || c == '\0' || char.IsControl(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (c is '\'' or '"' or '`')
            {
                var end = FindStringEnd(s, i + 1, c, out var closed);
                tokens[n++] = new SqlToken(c == '`' ? SqlTokenKind.Word : SqlTokenKind.String, i + 1, end - i - 1, !closed, c);
                i = closed ? end + 1 : end;
                continue;
            }

            if (c == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                // MySQL runs /*! ... */ as code: read its inside as tokens instead of as a comment.
                if (i + 2 < s.Length && s[i + 2] == '!')
                {
                    i += 3;
                    while (i < s.Length && char.IsAsciiDigit(s[i]))
                    {
                        i++;
                    }

                    tokens[n++] = new SqlToken(SqlTokenKind.Comment, start, 3);
                    continue;
                }

                var close = s[(i + 2)..].IndexOf("*/");
                var len = close < 0 ? s.Length - i : close + 4;
                tokens[n++] = new SqlToken(SqlTokenKind.Comment, i, len);
                i += len;
                continue;
            }

            if (c == '*' && i + 1 < s.Length && s[i + 1] == '/')
            {
                // The end of a /*! comment whose start we read as code.
                i += 2;
                continue;
            }

            if ((c == '-' && i + 1 < s.Length && s[i + 1] == '-') || c == '#')
            {
                var nl = s[i..].IndexOfAny('\n', '\r');
                var len = nl < 0 ? s.Length - i : nl;
                tokens[n++] = new SqlToken(SqlTokenKind.Comment, i, len);
                i += len;
                continue;
            }

            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1])))
            {
                if (c == '0' && i + 1 < s.Length && (s[i + 1] | 0x20) == 'x')
                {
                    i += 2;
                    while (i < s.Length && char.IsAsciiHexDigit(s[i]))
                    {
                        i++;
                    }
                }
                else
                {
                    while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.' || ((s[i] | 0x20) == 'e' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1]))))
                    {
                        i++;
                    }
                }

                if (i < s.Length && (char.IsLetter(s[i]) || s[i] == '_'))
                {
                    // 3pm, 2aRi: a word that starts with digits, not a number.
                    while (i < s.Length && IsWordChar(s[i]))
                    {
                        i++;
                    }

                    tokens[n++] = new SqlToken(SqlTokenKind.Word, start, i - start);
                    continue;
                }

                tokens[n++] = new SqlToken(SqlTokenKind.Number, start, i - start);
                continue;
            }

            if (c == '@')
            {
                i++;
                if (i < s.Length && s[i] == '@')
                {
                    i++;
                }

                while (i < s.Length && IsWordChar(s[i]))
                {
                    i++;
                }

                tokens[n++] = new SqlToken(SqlTokenKind.Variable, start, i - start);
                continue;
            }

            if (char.IsLetter(c) || c == '_' || c == '$')
            {
                while (i < s.Length && IsWordChar(s[i]))
                {
                    i++;
                }

                var word = s[start..i];
                var kind = Classify(word);
                if (kind == SqlTokenKind.Word || kind == SqlTokenKind.Keyword)
                {
                    var j = i;
                    while (j < s.Length && (s[j] == ' ' || s[j] == '\t'))
                    {
                        j++;
                    }

                    if (j < s.Length && s[j] == '(' && IsKnownFunction(word))
                    {
                        kind = SqlTokenKind.Function;
                    }
                }

                tokens[n++] = new SqlToken(kind, start, i - start);
                continue;
            }

            i++;
            var kindOp = c switch
            {
                '(' => SqlTokenKind.OpenParen,
                ')' => SqlTokenKind.CloseParen,
                ',' => SqlTokenKind.Comma,
                ';' => SqlTokenKind.Semicolon,
                '.' => SqlTokenKind.Dot,
                '=' => SqlTokenKind.Compare,
                '<' or '>' or '!' => SqlTokenKind.Compare,
                '+' or '-' or '*' or '/' or '%' or '^' or '~' or ':' => SqlTokenKind.Operator,
                '|' or '&' => SqlTokenKind.Operator,
                _ => SqlTokenKind.Other,
            };

            if ((c == '|' || c == '&') && i < s.Length && s[i] == c)
            {
                i++;
                kindOp = SqlTokenKind.Logic;
            }
            else if ((c is '<' or '>' or '!') && i < s.Length && (s[i] == '=' || s[i] == '>'))
            {
                i++;
            }

            tokens[n++] = new SqlToken(kindOp, start, i - start);
        }

        return n;
    }

    public static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '$';

    private static int FindStringEnd(ReadOnlySpan<char> s, int from, char quote, out bool closed)
    {
        var i = from;
        while (i < s.Length)
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                i += 2;
                continue;
            }

            if (s[i] == quote)
            {
                if (i + 1 < s.Length && s[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }

                closed = true;
                return i;
            }

            i++;
        }

        closed = false;
        return s.Length;
    }

    // One case-insensitive hash lookup per word instead of a scan of every keyword list.
    private static readonly FrozenDictionary<string, SqlTokenKind>.AlternateLookup<ReadOnlySpan<char>> Kinds = BuildKinds();

    private static FrozenDictionary<string, SqlTokenKind>.AlternateLookup<ReadOnlySpan<char>> BuildKinds()
    {
        var map = new Dictionary<string, SqlTokenKind>(StringComparer.OrdinalIgnoreCase);
        foreach (var k in Keywords)
        {
            map[k] = SqlTokenKind.Keyword;
        }

        foreach (var k in Statements)
        {
            map[k] = SqlTokenKind.Statement;
        }

        foreach (var l in Logic)
        {
            map[l] = SqlTokenKind.Logic;
        }

        map["union"] = SqlTokenKind.Union;
        map["select"] = SqlTokenKind.Select;
        return map.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private static SqlTokenKind Classify(ReadOnlySpan<char> word) =>
        word.Length <= 20 && Kinds.TryGetValue(word, out var kind) ? kind : SqlTokenKind.Word;

    private static readonly string[] Functions =
    [
        "sleep", "benchmark", "pg_sleep", "load_file", "extractvalue", "updatexml", "xp_cmdshell", "sys_eval",
        "sys_exec", "version", "database", "user", "current_user", "system_user", "session_user", "schema",
        "concat", "concat_ws", "group_concat", "char", "chr", "nchar", "ascii", "substring", "substr", "mid",
        "hex", "unhex", "cast", "convert", "count", "if", "iif", "ord", "length", "len", "md5", "sha1",
        "unhex", "from_base64", "to_base64", "make_set", "elt", "floor", "rand", "exp", "name_const",
        "utl_inaddr", "get_host_address", "dbms_pipe", "receive_message", "ctxsys", "drithsx", "sn",
        "utl_http", "request", "openrowset", "opendatasource", "xmltype", "lower", "upper", "replace",
        "isnull", "ifnull", "coalesce", "nullif", "db_name", "user_name", "host_name", "suser_name",
        "object_id", "randomblob", "sqlite_version", "instr", "locate", "position", "left", "right",
        "reverse", "aes_encrypt", "aes_decrypt", "compress", "uncompress", "json_keys", "polygon",
        "geometrycollection", "multipoint", "linestring", "row", "exists", "waitfor", "delay", "loadfile",
        "char_length", "bit_length", "conv", "export_set", "strcmp", "sleep", "encode", "decode", "current_database",
        "pg_read_file", "pg_ls_dir", "lo_import", "query_to_xml", "dblink", "sys_context", "lo_get", "lo_export",
        "pg_read_binary_file", "pg_stat_file", "schema_name",
    ];

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> FunctionSet =
        Functions.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    internal static bool IsKnownFunction(ReadOnlySpan<char> word) => FunctionSet.Contains(word);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> CatalogNameSet =
        CatalogNames.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    internal static bool IsCatalogName(ReadOnlySpan<char> word) => CatalogNameSet.Contains(word);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> DangerousFunctionSet =
        new[]
        {
            "sleep", "benchmark", "pg_sleep", "load_file", "extractvalue", "updatexml", "xp_cmdshell", "sys_eval",
            "sys_exec", "utl_inaddr", "dbms_pipe", "utl_http", "openrowset", "name_const", "pg_read_file", "group_concat",
            "concat_ws", "randomblob", "lo_import", "dblink", "lo_get", "lo_export", "pg_ls_dir", "pg_read_binary_file",
            "pg_stat_file",
        }.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    internal static bool IsDangerousFunction(ReadOnlySpan<char> word) => DangerousFunctionSet.Contains(word);

    /// <summary>Functions that name the current database or schema: what an attacker asks first, with nothing to pass.</summary>
    internal static bool IsCatalogFunction(ReadOnlySpan<char> word) =>
        word.Equals("database", StringComparison.OrdinalIgnoreCase) || word.Equals("db_name", StringComparison.OrdinalIgnoreCase)
        || word.Equals("current_database", StringComparison.OrdinalIgnoreCase) || word.Equals("schema_name", StringComparison.OrdinalIgnoreCase);
}
