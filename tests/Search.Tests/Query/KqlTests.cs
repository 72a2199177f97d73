using Analytics.Search.Ecs;
using Analytics.Search.Query;

namespace Analytics.Search.Tests.Query;

public sealed class KqlTests
{
    private static (string Sql, IReadOnlyList<object?> Parameters) Compile(string kql)
    {
        var sql = new SqlQuery();
        var where = new KqlSqlCompiler(EcsSchema.Default).Compile(KqlParser.Parse(kql), sql);
        return (where, sql.Parameters);
    }

    [Theory]
    [InlineData("source.ip:203.0.113.7", "(\"source.ip\" = $1)")]
    [InlineData("source.ip:\"203.0.113.7\"", "(\"source.ip\" = $1)")]
    [InlineData("url.path:/api/items/*", "(\"url.path\" LIKE $1 ESCAPE '\\')")]
    [InlineData("user.id:*", "(\"user.id\" IS NOT NULL)")]
    [InlineData("rule.id:sqli-1", "list_contains(\"rule.id\", $1)")]
    [InlineData("rule.category:sql*", "(len(list_filter(\"rule.category\", x -> x LIKE $1 ESCAPE '\\')) > 0)")]
    [InlineData("http.response.status_code >= 400", "(\"http.response.status_code\" >= $1)")]
    [InlineData("http.response.status_code < 500", "(\"http.response.status_code\" < $1)")]
    [InlineData("event.duration > 1000", "(\"event.duration\" > $1)")]
    [InlineData("not event.outcome:success", "(NOT coalesce((\"event.outcome\" = $1), FALSE))")]
    [InlineData("a.b.c.d:1 or source.ip:1", null)]
    public void Each_operator_compiles_to_a_parameterised_condition(string kql, string? expected)
    {
        if (expected is null)
        {
            var ex = Assert.Throws<KqlSyntaxException>(() => Compile(kql));
            Assert.Equal(1, ex.Position);
            Assert.Contains("unknown field 'a.b.c.d'", ex.Message);
            return;
        }

        Assert.Equal(expected, Compile(kql).Sql);
    }

    [Fact]
    public void Not_binds_tighter_than_and_which_binds_tighter_than_or()
    {
        var node = KqlParser.Parse("event.outcome:failure or not source.ip:1.2.3.4 and user.id:k");
        var or = Assert.IsType<KqlOr>(node);
        Assert.IsType<KqlMatch>(or.Parts[0]);
        var and = Assert.IsType<KqlAnd>(or.Parts[1]);
        Assert.IsType<KqlNot>(and.Parts[0]);
        Assert.IsType<KqlMatch>(and.Parts[1]);

        var grouped = Assert.IsType<KqlAnd>(KqlParser.Parse("(event.outcome:failure or source.ip:1.2.3.4) and user.id:k"));
        Assert.IsType<KqlOr>(grouped.Parts[0]);
    }

    [Fact]
    public void A_value_list_on_one_field_is_an_or_of_matches()
    {
        var (sql, parameters) = Compile("http.request.method:(GET or POST)");
        Assert.Equal("((\"http.request.method\" = $1) OR (\"http.request.method\" = $2))", sql);
        Assert.Equal(["GET", "POST"], parameters);
    }

    [Fact]
    public void Quoted_values_keep_wildcards_and_keywords_literal_and_escapes_work()
    {
        Assert.Equal(["a*b and c"], Compile("url.path:\"a*b and c\"").Parameters);
        Assert.Equal(["say \"hi\""], Compile("message:\"say \\\"hi\\\"\"").Parameters);
        // An escaped * in an unquoted value is literal: exact match, not LIKE.
        var (sql, parameters) = Compile("url.path:/a\\*b");
        Assert.Equal("(\"url.path\" = $1)", sql);
        Assert.Equal(["/a*b"], parameters);
        // LIKE's own wildcards in a value are escaped.
        Assert.Equal(["100\\%\\_x%"], Compile("url.path:100%_x*").Parameters);
    }

    [Fact]
    public void A_value_with_quote_and_semicolon_is_a_parameter_and_does_not_change_the_sql()
    {
        var (plain, _) = Compile("user_agent.original:\"curl\"");
        var (hostile, parameters) = Compile("user_agent.original:\"x'; DROP TABLE docs; --\"");
        Assert.Equal(plain, hostile);
        Assert.Equal(["x'; DROP TABLE docs; --"], parameters);
        Assert.DoesNotContain("DROP", hostile, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("source.ip:", 11, "expected a value")]
    [InlineData("source.ip:1.2.3.4 and", 22, "ends where a term was expected")]
    [InlineData("(source.ip:1.2.3.4", 19, "expected ')'")]
    [InlineData("source.ip:1.2.3.4)", 18, "unbalanced ')'")]
    [InlineData("source.ip:1 user.id:2", 13, "expected 'and' or 'or'")]
    [InlineData("url.path:\"abc", 10, "unterminated quoted value")]
    [InlineData("203.0.113.7", 1, "needs a field")]
    [InlineData("http.response.status_code >= abc", 30, "needs a whole number")]
    [InlineData("source.ip:1 and nope:2", 17, "unknown field 'nope'")]
    [InlineData("source.ip 1", 11, "expected ':' or a comparison")]
    public void Bad_queries_name_the_column(string kql, int column, string problem)
    {
        var ex = Assert.Throws<KqlSyntaxException>(() => Compile(kql));
        Assert.Equal(column, ex.Position);
        Assert.Contains(problem, ex.Message);
        Assert.Contains($"at column {column}", ex.Message);
    }

    [Fact]
    public void Empty_query_matches_everything()
    {
        Assert.Equal("TRUE", Compile("  ").Sql);
    }
}
