using System.Buffers;
using System.Text;

namespace Analytics.Inspection.Normalization;

/// <summary>
/// Unicode normalisation for detection: NFKC (full-width '＜' becomes '<'), then look-alike
/// punctuation that NFKC keeps (typographic quotes, division slash, …) folded to the ASCII
/// character a parser downstream may treat it as. ASCII input is returned as is, without work.
/// </summary>
internal static class UnicodeFolder
{
    private static readonly SearchValues<char> LookAlikes = SearchValues.Create("\u2018\u2019\u201A\u201B\u02BC\u02B9\u2032\u201C\u201D\u201E\u2033\u2039\u203A\u2215\u2044\u2216\u29F5\u00A0\u2028\u2029\u0131\u017F");

    public static string Fold(string value, ref DecodeFlags flags)
    {
        if (Ascii.IsValid(value))
        {
            return value;
        }

        if (value.AsSpan().IndexOfAnyInRange('\uE000', '\uF8FF') >= 0)
        {
            flags |= DecodeFlags.PrivateUse;
        }

        var result = value;
        try
        {
            if (!result.IsNormalized(NormalizationForm.FormKC))
            {
                result = result.Normalize(NormalizationForm.FormKC);
                flags |= DecodeFlags.CompatibilityForm;
            }
        }
        catch (ArgumentException)
        {
            // Lone surrogates cannot be normalised; detection still runs on the raw value.
        }

        if (result.AsSpan().IndexOfAny(LookAlikes) < 0)
        {
            return result;
        }

        flags |= DecodeFlags.CompatibilityForm;
        return string.Create(result.Length, result, static (dest, src) =>
        {
            for (var i = 0; i < src.Length; i++)
            {
                dest[i] = src[i] switch
                {
                    '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u02BC' or '\u02B9' or '\u2032' => '\'',
                    '\u201C' or '\u201D' or '\u201E' or '\u2033' => '"',
                    '\u2039' => '<',
                    '\u203A' => '>',
                    '\u2215' or '\u2044' => '/',
                    '\u2216' or '\u29F5' => '\\',
                    '\u00A0' => ' ',
                    '\u2028' or '\u2029' => '\n',
                    // Dotless i and long s upper-case to ASCII I and S in some parsers.
                    '\u0131' => 'i',
                    '\u017F' => 's',
                    _ => src[i],
                };
            }
        });
    }
}
