using Analytics.Inspection.Normalization;
using CsCheck;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>
/// Normalisation is idempotent: what the detectors and the catalog see is a fixed point, so a
/// value normalised twice (a decoded path handed on, a value re-read) cannot read differently.
/// Inputs mix the spellings normalisation undoes (percent escapes, double encoding, fullwidth
/// forms, backslashes, dot segments, path parameters), encoded no deeper than the decode bound.
/// </summary>
public sealed class NormalizationProperties
{
    // Tokens rather than single characters, so escapes, dot segments and separators are common.
    private static readonly Gen<string> Token = Gen.OneOf<string>([
        "/", "/", "//", ".", "..", "/./", "/../", "\\", ";", ";x=1", "+", "%", "%2", "a", "B", "7", "é", "~", " ",
        "%2e", "%2E", "%2f", "%2F", "%5c", "%25", "%252e", "%252f", "%2527", "%27", "%3b", "%20", "%00", "%c0%ae", "%e2%80%ae",
        "\uff0e", "\uff0f", "\uff3c", "\u2024", "＜", "&lt;", "&#46;", "%u002e", "api", "items", "1"]);

    private static readonly Gen<string> Value = Token.Array[0, 24].Select(tokens => string.Concat(tokens));

    /// <summary>Found by the property below: U+00AA folds to 'a' after decoding, which spelled a new escape "%aa".</summary>
    [Theory]
    [InlineData("/B%25%aaapi%2%2f//\uff0e\uff1c")]
    [InlineData("/%25%aa")]
    public void Folding_that_spells_an_escape_is_decoded_too(string raw)
    {
        var flags = DecodeFlags.None;
        var value = ValueNormalizer.Normalize(raw, ValueEncoding.Form, ref flags);
        Assert.Equal(value, ValueNormalizer.Normalize(value, ValueEncoding.Percent, ref flags));
        var path = PathCanonicalizer.Canonicalize(raw, out _, ref flags);
        Assert.Equal(path, PathCanonicalizer.Canonicalize(path, out _, ref flags));
    }

    [Fact]
    public void Path_canonicalisation_is_idempotent() =>
        Value.Sample(raw =>
        {
            var flags = DecodeFlags.None;
            var once = PathCanonicalizer.Canonicalize(raw, out _, ref flags);
            flags = DecodeFlags.None;
            var twice = PathCanonicalizer.Canonicalize(once, out _, ref flags);
            return once == twice;
        }, iter: 20_000);

    [Theory]
    [InlineData((int)ValueEncoding.Form)]
    [InlineData((int)ValueEncoding.Percent)]
    [InlineData((int)ValueEncoding.Plain)]
    public void Value_normalisation_is_idempotent(int encodingValue)
    {
        var encoding = (ValueEncoding)encodingValue;
        Value.Sample(raw =>
        {
            var flags = DecodeFlags.None;
            var once = ValueNormalizer.Normalize(raw, encoding, ref flags);
            flags = DecodeFlags.None;
            // The second pass reads the result as already-decoded text: '+' from a decoded %2B is literal.
            var twice = ValueNormalizer.Normalize(once, encoding == ValueEncoding.Form ? ValueEncoding.Percent : encoding, ref flags);
            return once == twice;
        }, iter: 20_000);
    }
}
