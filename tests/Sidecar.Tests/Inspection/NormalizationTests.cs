using Analytics.Inspection.Normalization;

namespace Analytics.Sidecar.Tests.Inspection;

public sealed class NormalizationTests
{
    [Theory]
    [InlineData("%27", "'", (int)DecodeFlags.PercentEncoded)]
    [InlineData("%2527", "'", (int)(DecodeFlags.PercentEncoded | DecodeFlags.MultipleEncoding))]
    [InlineData("%25252e%25252e", "..", (int)(DecodeFlags.PercentEncoded | DecodeFlags.MultipleEncoding))]
    [InlineData("a+b", "a b", 0)]
    [InlineData("100%", "100%", 0)]
    public void Percent_decoding_repeats_until_stable(string raw, string expected, int mustHaveFlags)
    {
        var mustHave = (DecodeFlags)mustHaveFlags;
        var flags = DecodeFlags.None;
        Assert.Equal(expected, PercentDecoder.Decode(raw, plusAsSpace: true, ref flags));
        Assert.Equal(mustHave, flags & mustHave);
    }

    [Fact]
    public void Plus_is_literal_after_the_first_pass()
    {
        var flags = DecodeFlags.None;
        Assert.Equal("1+1", PercentDecoder.Decode("1%2B1", plusAsSpace: true, ref flags));
    }

    [Fact]
    public void Decoding_is_bounded()
    {
        var flags = DecodeFlags.None;
        var deep = "%252525252525252527";
        PercentDecoder.Decode(deep, plusAsSpace: false, ref flags, maxPasses: 3);
        Assert.True(flags.HasFlag(DecodeFlags.DecodeBoundReached));
    }

    [Fact]
    public void Latin1_bytes_are_read_as_latin1_and_not_flagged_as_overlong()
    {
        var flags = DecodeFlags.None;
        Assert.Equal("Añadir", PercentDecoder.Decode("A%F1adir", plusAsSpace: true, ref flags));
        Assert.False(flags.HasFlag(DecodeFlags.OverlongUtf8));
        flags = DecodeFlags.None;
        Assert.Equal("Á37cE", PercentDecoder.Decode("%C137cE", plusAsSpace: true, ref flags));
        Assert.False(flags.HasFlag(DecodeFlags.OverlongUtf8));
    }

    [Theory]
    [InlineData("%c0%af")]
    [InlineData("%c0%ae%c0%ae/")]
    [InlineData("%e0%80%af")]
    [InlineData("%c0%5c")]
    [InlineData("%f8%80%80%80%af")]
    public void Overlong_utf8_is_flagged(string raw)
    {
        var flags = DecodeFlags.None;
        PercentDecoder.Decode(raw, plusAsSpace: false, ref flags);
        Assert.True(flags.HasFlag(DecodeFlags.OverlongUtf8));
    }

    [Fact]
    public void Overlong_slash_decodes_to_the_character_it_smuggles()
    {
        var flags = DecodeFlags.None;
        Assert.Equal("../", PercentDecoder.Decode("%c0%ae%c0%ae%c0%af", plusAsSpace: false, ref flags));
    }

    [Fact]
    public void Iis_unicode_escapes_are_decoded()
    {
        var flags = DecodeFlags.None;
        Assert.Equal("<script>", PercentDecoder.Decode("%u003cscript%u003e", plusAsSpace: false, ref flags));
        Assert.True(flags.HasFlag(DecodeFlags.UnicodeEscape));
    }

    [Theory]
    [InlineData("＜ｓｃｒｉｐｔ＞", "<script>")]
    [InlineData("\u2018 OR 1=1", "' OR 1=1")]
    [InlineData("..\u2215etc", "../etc")]
    [InlineData("plain ascii", "plain ascii")]
    public void Unicode_folds_fullwidth_and_lookalikes(string raw, string expected)
    {
        var flags = DecodeFlags.None;
        Assert.Equal(expected, UnicodeFolder.Fold(raw, ref flags));
    }

    [Fact]
    public void Nul_bytes_are_flagged()
    {
        var flags = DecodeFlags.None;
        ValueNormalizer.Normalize("file.php%00.jpg", ValueEncoding.Form, ref flags);
        Assert.True(flags.HasFlag(DecodeFlags.NullByte));
    }

    [Theory]
    [InlineData("&lt;script&gt;", "<script>")]
    [InlineData("&#106;avascript&#x3A;", "javascript:")]
    [InlineData("&#x6A&#x61vascript&colon;", "javascript:")]
    [InlineData("Tom &amp; Jerry", "Tom & Jerry")]
    [InlineData("R&D", "R&D")]
    public void Html_entities_are_decoded(string raw, string expected) =>
        Assert.Equal(expected, HtmlEntityDecoder.Decode(raw));

    [Theory]
    [InlineData("/a/./b", "/a/b", (int)PathFlags.DotSegment)]
    [InlineData("/a/b/../c", "/a/c", (int)PathFlags.DotDotSegment)]
    [InlineData("/../../etc/passwd", "/etc/passwd", (int)PathFlags.EscapesRoot)]
    [InlineData("/a//b", "/a/b", (int)PathFlags.EmptySegment)]
    [InlineData("/a\\b", "/a/b", (int)PathFlags.Backslash)]
    [InlineData("/a%2fb", "/a/b", (int)PathFlags.EncodedSlash)]
    [InlineData("/users;jsessionid=1/me", "/users/me", (int)PathFlags.PathParameter)]
    [InlineData("/%2e%2e/%2e%2e/x", "/x", (int)PathFlags.EscapesRoot)]
    [InlineData("/users/123/", "/users/123/", (int)PathFlags.None)]
    public void Paths_are_canonicalised(string raw, string expected, int pathFlag)
    {
        var flag = (PathFlags)pathFlag;
        var decode = DecodeFlags.None;
        Assert.Equal(expected, PathCanonicalizer.Canonicalize(raw, out var flags, ref decode));
        Assert.Equal(flag, flags & flag);
    }
}
