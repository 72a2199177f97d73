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
        value = UnicodeFolder.Fold(value, ref flags);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            flags |= DecodeFlags.NullByte;
        }

        return value;
    }
}
