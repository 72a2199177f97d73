namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>
/// Issue 13's ninth pass, SQL (942): shapes that only SQL has — a value that closes the application's
/// parenthesis and compares with LIKE, MySQL's IF on a constant comparison, a dangerous function selected
/// without its call, EXECUTE IMMEDIATE, PROCEDURE ANALYSE, catalogue names and alias breakouts in backtick
/// identifiers, optimizer hints and comments in place of spaces — each in several places, with the
/// look-alikes real APIs carry (prose, numbered lists, C and spreadsheet code, markdown).
/// </summary>
public sealed class CrsGapSqlShapeTests
{
    public static TheoryData<string, string> Attacks => new()
    {
        { ")) like (select 'a')", "sqli-literal-breakout" },
        { "3) rlike (select 1)", "sqli-literal-breakout" },
        { ") regexp (0x41)", "sqli-literal-breakout" },
        { ")like(char(65))", "sqli-literal-breakout" },
        { "if(77=", "sqli-tautology" },
        { "if (3<>", "sqli-tautology" },
        { "SELECT sys_eval", "sqli-dangerous-function" },
        { "1;select load_file", "sqli-dangerous-function" },
        { "select xp_cmdshell", "sqli-dangerous-function" },
        { "SELECT utl_http.request", "sqli-dangerous-function" },
        { "EXECUTE IMMEDIATE 'grant dba to scott'", "sqli-dangerous-function" },
        { "execute immediate @q", "sqli-dangerous-function" },
        { "1 limit 1 procedure analyse(10, 2000)", "sqli-system-object" },
        { "PROCEDURE ANALYSE (", "sqli-system-object" },
        { "`information_schema`.`columns`", "sqli-system-object" },
        { "`TEMPDB`", "sqli-system-object" },
        { "title` AS `t` FROM posts--", "sqli-literal-breakout" },
        { "` as `x` from users where 1", "sqli-literal-breakout" },
        { "id` as \"secret\" from accounts", "sqli-literal-breakout" },
        { "5 or /*+ NO_INDEX */ true", "sqli-literal-breakout" },
        { "12 and/**/1", "sqli-literal-breakout" },
        { "3 xor /**/ (1)", "sqli-literal-breakout" },
        { "DECLARE/**/@cmd", "sqli-comment" },
        { "drop/**/table users", "sqli-comment" },
        { "select /*+ INDEX(users) */ 1", "sqli-comment" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Attack_is_found_in_every_place(string payload, string rule)
    {
        Inspect.AssertBlockedIn(payload, rule, "query-value", "header", "cookie-value", "json-value", "form-value", "xml-text");
    }

    [Theory]
    // Parentheses and LIKE in prose and numbered lists.
    [InlineData("1) Like (or share) this post")]
    [InlineData("1) like (the one in the picture)")]
    [InlineData("Great product (really) like (seriously) amazing")]
    [InlineData(":) like (always)")]
    [InlineData("Use `LIKE` (case-insensitive) for search")]
    // IF in C-like code and spreadsheet formulas.
    [InlineData("if(x==1) { return; }")]
    [InlineData("if(a=b)")]
    [InlineData("if(a=1)")]
    [InlineData("if (2 == count) return")]
    [InlineData("=IF(A1=1,\"yes\",\"no\")")]
    // Words that are also SQL.
    [InlineData("The procedure analyse (see below) was fine")]
    [InlineData("The stored procedure analyses the data")]
    [InlineData("select the pg_sleep docs")]
    [InlineData("select sleep_mode")]
    [InlineData("SELECT LOAD_FILES_BUTTON")]
    [InlineData("Select load_file.txt")]
    [InlineData("execute immediately")]
    [InlineData("We will execute immediate actions")]
    // Backticks and comments in markdown and code.
    [InlineData("I typed it` as well from my phone")]
    [InlineData("Import `numpy` as `np` from the docs")]
    [InlineData("`name` AS `n` from the docs")]
    [InlineData("price` and more")]
    [InlineData("/*++ Routine Description --*/")]
    [InlineData("https://cdn.example.com/assets/*+*.js")]
    [InlineData("/*+ new */ feature list")]
    [InlineData("a /* note */ and b")]
    [InlineData("Our release 2024 or /* maybe */ 2025")]
    [InlineData("x = a || /* fallback */ b;")]
    // Names the brief's misses carried that are words or table names here.
    [InlineData("Northwind")]
    [InlineData("mysql.db")]
    public void Lookalike_is_allowed(string value)
    {
        foreach (var place in new[] { "query-value", "json-value", "header" })
        {
            var verdict = Inspect.In(place, value);
            Assert.False(verdict.Blocks(), $"{place}: {value}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
        }
    }
}
