using Analytics.Inspection.Normalization;

namespace Analytics.Fuzz.Targets;

/// <summary>The shared normaliser: percent-decoding, Unicode folding, HTML entities, path canonicalisation.</summary>
internal sealed class NormalizerTarget : IFuzzTarget
{
    public string Name => "normalizer";

    public void Run(ReadOnlySpan<byte> data)
    {
        var flags = DecodeFlags.None;
        _ = Utf8Lenient.Decode(data, ref flags);
        var text = FuzzText.Decode(data);
        foreach (var encoding in (ReadOnlySpan<ValueEncoding>)[ValueEncoding.Form, ValueEncoding.Percent, ValueEncoding.Plain])
        {
            flags = DecodeFlags.None;
            _ = ValueNormalizer.Normalize(text, encoding, ref flags);
        }

        _ = HtmlEntityDecoder.Decode(text);
        flags = DecodeFlags.None;
        _ = PathCanonicalizer.Canonicalize(text, out _, ref flags);
        flags = DecodeFlags.None;
        _ = PathCanonicalizer.Canonicalize("/" + text, out _, ref flags);
    }
}
