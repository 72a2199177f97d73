using Analytics.Sidecar.Auth;
using Analytics.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Tests.Auth;

public sealed class ApiKeyValidatorTests
{
    private static ApiKeyValidator Validator() => new(Options.Create(new SidecarAuthOptions
    {
        ApiKeys = new ApiKeyOptions
        {
            Keys =
            [
                new ApiKeyEntry { Id = "a", Sha256 = TestSidecar.Sha256("key-a"), Roles = ["reader"] },
                new ApiKeyEntry { Id = "b", Sha256 = TestSidecar.Sha256("key-b").ToUpperInvariant() },
            ],
        },
    }));

    [Fact]
    public void Matches_by_hash_in_either_hex_case()
    {
        var validator = Validator();
        Assert.Equal("a", validator.Validate("key-a")?.Id);
        Assert.Equal("b", validator.Validate("key-b")?.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("key-c")]
    [InlineData("KEY-A")]
    public void Unknown_keys_do_not_match(string presented) => Assert.Null(Validator().Validate(presented));

    [Fact]
    public void Absurdly_long_keys_are_refused_without_hashing() => Assert.Null(Validator().Validate(new string('x', 10_000)));
}
