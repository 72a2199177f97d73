namespace Analytics.Inspection.Normalization;

/// <summary>How a value was encoded where it was found, which decides its decoding.</summary>
internal enum ValueEncoding
{
    /// <summary>Query string or form field: percent-encoding with '+' for space.</summary>
    Form,
    /// <summary>Percent-encoding without '+' (cookies, path segments, JSON values that carry encoded text).</summary>
    Percent,
    /// <summary>Taken as is (already decoded by its own grammar), only Unicode-folded.</summary>
    Plain,
}

/// <summary>The single normalisation every detector shares: decode, fold, flag.</summary>
internal static class ValueNormalizer
{
    public static string Normalize(string raw, ValueEncoding encoding, ref DecodeFlags flags, int maxPasses = PercentDecoder.DefaultMaxPasses)
    {
        var value = encoding switch
        {
            ValueEncoding.Form => PercentDecoder.Decode(raw, plusAsSpace: true, ref flags, maxPasses),
            ValueEncoding.Percent => PercentDecoder.Decode(raw, plusAsSpace: false, ref flags, maxPasses),
            _ => raw,
        };
        value = FoldThenDecode(value, encoding != ValueEncoding.Plain, ref flags, maxPasses);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            flags |= DecodeFlags.NullByte;
        }

        return value;
    }

    /// <summary>
    /// Unicode folding can spell a new escape (U+00AA folds to 'a', so "%\u00AAa" becomes "%aa"):
    /// decode and fold again until neither changes the value, within the same bound, so the
    /// result is a fixed point and a second normalisation cannot read it differently.
    /// </summary>
    public static string FoldThenDecode(string value, bool percentDecode, ref DecodeFlags flags, int maxPasses = PercentDecoder.DefaultMaxPasses)
    {
        for (var pass = 0; ; pass++)
        {
            var folded = UnicodeFolder.Fold(value, ref flags);
            if (!percentDecode || pass >= maxPasses || folded == value || !folded.Contains('%', StringComparison.Ordinal))
            {
                return folded;
            }

            var decoded = PercentDecoder.Decode(folded, plusAsSpace: false, ref flags, maxPasses);
            if (decoded == folded)
            {
                return folded;
            }

            flags |= DecodeFlags.MultipleEncoding;
            value = decoded;
        }
    }
}
