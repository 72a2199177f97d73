using Analytics.Sidecar.Catalog;

namespace Analytics.Sidecar.Tests.Catalog;

public sealed class PathTemplaterTests
{
    [Theory]
    [InlineData("/users/123", "/users/{id}")]
    [InlineData("/users/me", "/users/me")]
    [InlineData("/orders/3f2504e0-4f89-11d3-9a0c-0305e82c3301/items/7", "/orders/{uuid}/items/{id}")]
    [InlineData("/blobs/9e107d9d372bb6826bd81d3542a419d6", "/blobs/{uuid}")]
    [InlineData("/commits/de9f2c7fd25e1b3afad3e85a0bd17d9b100db4b3", "/commits/{hash}")]
    [InlineData("/people/alice@example.com", "/people/{email}")]
    [InlineData("/reports/2026-11-28", "/reports/{date}")]
    [InlineData("/t/eyJhbGciOiJIUzI1NiJ9abc123", "/t/{token}")]
    [InlineData("/", "/")]
    public void Ids_become_parameters_and_words_stay(string path, string expected) =>
        Assert.Equal(expected, new PathTemplater().Template(path));

    [Fact]
    public void High_cardinality_word_segments_are_learned_as_parameters()
    {
        var templater = new PathTemplater(cardinalityLimit: 5);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal($"/tags/name{(char)('a' + i)}", templater.Template($"/tags/name{(char)('a' + i)}"));
        }

        Assert.Equal("/tags/{param}", templater.Template("/tags/another"));
        Assert.Equal("/tags/{param}", templater.Template("/tags/namea"));
    }
}
