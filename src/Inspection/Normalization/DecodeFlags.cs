namespace Analytics.Inspection.Normalization;

/// <summary>What normalisation noticed about a value; some of it is evidence of evasion on its own.</summary>
[Flags]
internal enum DecodeFlags
{
    None = 0,
    /// <summary>Percent-decoding changed the value.</summary>
    PercentEncoded = 1,
    /// <summary>The value needed more than one decoding pass (double encoding).</summary>
    MultipleEncoding = 2,
    /// <summary>Overlong UTF-8 (e.g. %c0%af for '/'): never produced by a correct encoder.</summary>
    OverlongUtf8 = 4,
    /// <summary>Bytes that are not UTF-8; read as Latin-1 (legacy forms send that).</summary>
    InvalidUtf8 = 8,
    /// <summary>A NUL character after decoding.</summary>
    NullByte = 16,
    /// <summary>IIS-style %uXXXX escapes.</summary>
    UnicodeEscape = 32,
    /// <summary>Full-width or other compatibility forms folded by NFKC, or look-alike punctuation folded.</summary>
    CompatibilityForm = 64,
    /// <summary>The decoding pass bound was reached before the value became stable.</summary>
    DecodeBoundReached = 128,
    /// <summary>Private-use code points (U+E000–U+F8FF): meaningless in text, used to confuse decoders.</summary>
    PrivateUse = 256,
    /// <summary>Several '%' escapes that are not hex ("%bg%qf"): broken on purpose, for a lenient decoder.</summary>
    InvalidPercent = 512,
}
