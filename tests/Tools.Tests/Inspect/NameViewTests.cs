using Analytics.Inspection.Model;
using Analytics.Tools.Inspect;

namespace Analytics.Tools.Tests.Inspect;

/// <summary>
/// The trainer's name view (benign parameter names of no particular API, with a fifth held out)
/// and the evaluation's split of the LDAP list into filter syntax and bare words.
/// </summary>
public sealed class NameViewTests
{
    [Fact]
    public void Names_are_the_identifier_shaped_benign_values_and_ecs_field_names()
    {
        var units = new[]
        {
            ModelInput.Compose("nombre", "Inmaculada"),
            ModelInput.Compose("direccion", "Calle Mayor 12"),
            ModelInput.Compose("precio", "100"),
            ModelInput.Compose("q", "' or 1=1--"),
            ModelInput.Compose("login", "user_42"),
        };

        var names = BenignNames.Collect(units, ["http.request.method", "user.name"]);

        Assert.Equal(["Inmaculada", "http", "http.request.method", "method", "name", "request", "user", "user.name", "user_42"], names);
    }

    [Fact]
    public void A_fifth_of_the_names_is_held_out_by_a_stable_hash_of_the_lower_cased_name()
    {
        var names = Enumerable.Range(0, 5000).Select(i => "field" + i).ToList();
        var held = names.Count(BenignNames.IsHeldOut);

        Assert.InRange(held, 850, 1150);
        Assert.Equal(BenignNames.IsHeldOut("Deolinda"), BenignNames.IsHeldOut("deolinda"));
        Assert.True(BenignNames.IsHeldOut("Deolinda"));
        Assert.False(BenignNames.IsHeldOut("Inmaculada"));
    }

    [Fact]
    public void A_name_unit_carries_the_name_and_an_ordinary_value()
    {
        var names = new List<string> { "pageSize", "sortOrder", "city" };
        var unit = Assert.Single(BenignNames.Units("pageSize", names));

        Assert.StartsWith("\u0002pageSize=", unit, StringComparison.Ordinal);
        Assert.EndsWith("\u0003", unit, StringComparison.Ordinal);
        Assert.Equal(unit, BenignNames.Units("pageSize", names)[0]);
    }

    [Theory]
    [InlineData("*)(uid=*))(|(uid=*")]
    [InlineData("%2A%28%7C%28mail%3D%2A%29%29")]
    [InlineData("*))%00")]
    [InlineData("*()|&'")]
    [InlineData("admin*)((|userPassword=*)")]
    [InlineData(@"\2a\29\28|\28uid=\2a")]
    [InlineData("%5C2A%5C29%5C28%5C26")]
    public void Ldap_payloads_with_filter_syntax_are_told_apart(string payload) =>
        Assert.True(Evaluation.HasLdapFilterSyntax(payload), payload);

    [Theory]
    [InlineData("cn")]
    [InlineData("givenName")]
    [InlineData("admin*")]
    [InlineData("*|")]
    [InlineData(")")]
    [InlineData("%29")]
    [InlineData("//*")]
    [InlineData(@"\2a")]
    public void Bare_ldap_words_and_characters_have_no_filter_syntax(string payload) =>
        Assert.False(Evaluation.HasLdapFilterSyntax(payload), payload);
}
