using System.Runtime.CompilerServices;

namespace Analytics.Inspection.Model;

/// <summary>
/// The learned model's features: lower-cased character 3- to 5-grams, hashed (FNV-1a) into
/// 2^18 buckets, each occurrence worth 1/sqrt(n-gram count). Only n-grams that contain a
/// character other than a letter or white space count ("syntax" n-grams: <c>' o</c>, <c>=1-</c>,
/// <c>&lt;scr</c>): the words themselves would teach the model the corpora's languages, and it
/// flagged ordinary English ("select a gift") for being unlike the Spanish shop it saw.
/// <para>
/// The name of a unit (<c>key</c> in <c>key=value</c>) is one symbol, not a string of
/// characters, and the n-grams that contain it have buckets of their own
/// (<see cref="NameBuckets"/>): a name the model was trained on keeps what it learned (CSIC's
/// <c>idA=</c>, the kind of value <c>precio=</c> takes), and a name it never saw lands in
/// buckets no value n-gram shares and says nothing. Spelled out, a name's last letters and the
/// <c>=</c> formed n-grams that every name ending the same way shared, so an unfamiliar
/// <c>?agenda=1</c> or <c>?area=2</c> looked like CSIC's <c>idA=1</c>.
/// </para>
/// Training builds the same vector sparsely; scoring walks the n-grams and sums weights without
/// allocating.
/// </summary>
internal static class NgramHasher
{
    public const int Bits = 18;
    public const int Dimension = 1 << Bits;
    public const int MinN = 3;
    public const int MaxN = 5;
    public const int MaxChars = 4096;

    /// <summary>
    /// Added to a request's n-gram count before the square root that scales its features: a
    /// request of a few n-grams (<c>?lang=en</c>) is little evidence, and without it each of them
    /// weighed as much as a whole sentence's, so one n-gram learned from CSIC (<c>=en</c> of
    /// <c>Entrar</c>) decided the request.
    /// </summary>
    public const int PriorCount = 8;

    /// <summary>Names this feature set in the model card, so a model trained on other features is refused at load.</summary>
    public const string FeatureSet = "syntax-3-5-grams/name-symbol/prior-8/numbers-folded/signed-folded";

    /// <summary>The buckets at the top of the range that only n-grams containing a unit's name use.</summary>
    public const int NameBits = 15;
    public const int NameBuckets = 1 << NameBits;
    private const int ValueBuckets = Dimension - NameBuckets;

    private const uint FnvBasis = 2166136261u;
    private const uint FnvPrime = 16777619u;

    /// <summary>Calls <paramref name="visitor"/> for every syntax n-gram's bucket of a unit text (<see cref="ModelInput.Compose(ReadOnlySpan{char}, ReadOnlySpan{char})"/>, or any text); returns their count.</summary>
    public static int Visit<TVisitor>(ReadOnlySpan<char> text, ref TVisitor visitor)
        where TVisitor : struct, INgramVisitor
    {
        if (text.Length > MaxChars)
        {
            text = text[..MaxChars];
        }

        // The unit's symbols: U+0002, the name as one symbol, then '=' and the value as characters. A unit
        // without a name (a JSON string outside any object) is characters only.
        var symbols = Buffer(text.Length + 2);
        var length = 0;
        var namePosition = -1;
        var rest = text;
        if (text.Length > 1 && text[0] == ModelInput.ValueStart)
        {
            var eq = text[..Math.Min(text.Length, ModelInput.MaxKeyChars + 2)].IndexOf('=');
            if (eq > 1)
            {
                symbols[0] = ModelInput.ValueStart;
                symbols[1] = NameSymbol(text[1..eq]);
                namePosition = 1;
                length = 2;
                rest = text[eq..];
            }
        }

        length = AppendSymbols(rest, symbols, length);
        FoldNumber(symbols[..length]);
        return Walk(symbols[..length], namePosition, ref visitor);
    }

    /// <summary>
    /// The same as <see cref="Visit{TVisitor}(ReadOnlySpan{char}, ref TVisitor)"/> of
    /// <c>ModelInput.Compose(key, value)</c> for a key without '=', without composing the text.
    /// </summary>
    public static int VisitUnit<TVisitor>(ReadOnlySpan<char> key, ReadOnlySpan<char> value, ref TVisitor visitor)
        where TVisitor : struct, INgramVisitor
    {
        if (key.Length > ModelInput.MaxKeyChars)
        {
            key = key[..ModelInput.MaxKeyChars];
        }

        if (value.Length > ModelInput.MaxValueChars)
        {
            value = value[..ModelInput.MaxValueChars];
        }

        var symbols = Buffer(key.Length + value.Length + 4);
        symbols[0] = ModelInput.ValueStart;
        var length = 1;
        var namePosition = -1;
        if (key.IsEmpty)
        {
            symbols[length++] = Symbol('=');
        }
        else
        {
            symbols[length++] = NameSymbol(key);
            namePosition = 1;
            symbols[length++] = Symbol('=');
        }

        var valueStart = length;
        length = AppendSymbols(value, symbols, length);
        FoldDigits(symbols[valueStart..length]);
        symbols[length++] = ModelInput.ValueEnd;
        return Walk(symbols[..length], namePosition, ref visitor);
    }

    /// <summary>A value that is a number this long or longer is read as its length in digits.</summary>
    public const int FoldedNumberDigits = 4;

    private const uint Digit = '0' | SyntaxFlag;

    /// <summary>
    /// <see cref="FoldDigits"/> on the value of a unit text (<c>U+0002 name = value U+0003</c>): after
    /// its first '=', without the end mark.
    /// </summary>
    private static void FoldNumber(Span<uint> symbols)
    {
        var eq = symbols.IndexOf(Symbol('='));
        if (eq < 0)
        {
            return;
        }

        var value = symbols[(eq + 1)..];
        FoldDigits(value.Length > 0 && value[^1] == ModelInput.ValueEnd ? value[..^1] : value);
    }

    /// <summary>
    /// A value that is only a number of four digits or more (an id, a timestamp, a phone number, a
    /// cache buster) is data, not syntax: its digits all become one symbol, so the model reads "a number
    /// this long". Spelled out, it learned the runs of nines SQL payloads use (<c>9999=9999</c>) and
    /// flagged the timestamp <c>_=1699999999999</c>. A signed number (<c>-1</c>, <c>+40</c>, <c>-33.8688</c>)
    /// is read so at any length (issue 13's sixth pass): no benign corpus has one, so its digits only
    /// taught the payload lists' <c>-1 union …</c>, and <c>q=-1</c> and <c>q=-5</c> were flagged. Digits
    /// inside other text keep their value (<c>1=1</c>, <c>-1'</c>, CSIC's altered identity numbers like
    /// <c>183A74311</c>), and so do unsigned numbers of one to three digits (<c>page=1</c> is not <c>page=7</c>).
    /// </summary>
    private static void FoldDigits(Span<uint> value)
    {
        var signed = value.Length > 1 && (value[0] & ~SyntaxFlag) is '-' or '+';
        var number = signed ? value[1..] : value;
        if (!signed && number.Length < FoldedNumberDigits)
        {
            return;
        }

        // Unsigned: digits only. Signed: digits with at most one '.' between them.
        var point = -1;
        for (var i = 0; i < number.Length; i++)
        {
            var c = number[i] & ~SyntaxFlag;
            if (c - '0' <= 9)
            {
                continue;
            }

            if (!signed || c != '.' || point >= 0 || i == 0 || i == number.Length - 1)
            {
                return;
            }

            point = i;
        }

        if (point < 0)
        {
            number.Fill(Digit);
            return;
        }

        number[..point].Fill(Digit);
        number[(point + 1)..].Fill(Digit);
    }

    [ThreadStatic]
    private static uint[]? t_symbols;

    /// <summary>A per-thread buffer: scoring runs synchronously, once per value, and a stack buffer would be zeroed each time.</summary>
    private static Span<uint> Buffer(int length)
    {
        var buffer = t_symbols;
        if (buffer is null || buffer.Length < length)
        {
            t_symbols = buffer = new uint[Math.Max(length, ModelInput.MaxUnitChars + 8)];
        }

        return buffer;
    }

    /// <summary>Each character lower-cased and classified once (bit 31: syntax), not once per n-gram that covers it.</summary>
    private static int AppendSymbols(ReadOnlySpan<char> text, Span<uint> symbols, int length)
    {
        foreach (var c in text)
        {
            symbols[length++] = Symbol(c);
        }

        return length;
    }

    private static int Walk<TVisitor>(ReadOnlySpan<uint> symbols, int namePosition, ref TVisitor visitor)
        where TVisitor : struct, INgramVisitor
    {
        var count = 0;
        var length = symbols.Length;
        // The next syntax symbol at or after i, found walking forward once: n-grams from i count from there on.
        var nextSyntax = -1;
        for (var i = 0; i < length; i++)
        {
            if (nextSyntax < i)
            {
                nextSyntax = i;
                while (nextSyntax < length && (symbols[nextSyntax] & SyntaxFlag) == 0)
                {
                    nextSyntax++;
                }

                if (nextSyntax == length)
                {
                    break;
                }
            }

            var end = Math.Min(length, i + MaxN);
            if (nextSyntax >= end)
            {
                // No syntax within reach: skip to the first start whose longest n-gram reaches it.
                i = nextSyntax - MaxN;
                continue;
            }

            var firstCounted = Math.Max(i + MinN - 1, nextSyntax);
            var hash = FnvBasis;
            var named = false;
            for (var p = i; p < end; p++)
            {
                hash = (hash ^ (symbols[p] & ~SyntaxFlag)) * FnvPrime;
                named |= p == namePosition;
                if (p >= firstCounted)
                {
                    // Mix the length in, so "abc" as a 3-gram and a 4-gram prefix never share a bucket by construction.
                    var mixed = (hash ^ (uint)(p - i + 1)) * 2654435761u;
                    visitor.Visit(named
                        ? ValueBuckets + (int)(mixed >> (32 - NameBits))
                        : (int)(((ulong)mixed * ValueBuckets) >> 32));
                    count++;
                }
            }
        }

        return count;
    }

    private const uint SyntaxFlag = 0x8000_0000u;

    /// <summary>A character lower-cased, with <see cref="SyntaxFlag"/> when it is syntax.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Symbol(char c)
    {
        if (c < 128)
        {
            return AsciiSymbols[c];
        }

        var lower = char.ToLowerInvariant(c);
        return IsSyntax(lower) ? lower | SyntaxFlag : lower;
    }

    private static readonly uint[] AsciiSymbols = BuildAsciiSymbols();

    private static uint[] BuildAsciiSymbols()
    {
        var table = new uint[128];
        for (var c = (char)0; c < 128; c++)
        {
            var lower = char.ToLowerInvariant(c);
            table[c] = IsSyntax(lower) ? lower | SyntaxFlag : lower;
        }

        return table;
    }

    /// <summary>A name as one symbol: FNV-1a of its lower-cased characters, never equal to a character's.</summary>
    private static uint NameSymbol(ReadOnlySpan<char> name)
    {
        var hash = FnvBasis ^ 0x5bd1e995u;
        foreach (var c in name)
        {
            hash = (hash ^ char.ToLowerInvariant(c)) * FnvPrime;
        }

        return (hash | 0x0001_0000u) & ~SyntaxFlag;
    }

    /// <summary>Not a letter, not white space, not one of <see cref="ModelInput"/>'s value boundary marks.</summary>
    private static bool IsSyntax(char c) => !char.IsLetter(c) && !char.IsWhiteSpace(c) && c > ModelInput.ValueEnd;

    /// <summary>
    /// The sparse feature vector (sorted indices, values) of a request's units for training: the
    /// n-gram counts of all units, scaled by 1/sqrt(their total), as the scorer sums them.
    /// </summary>
    public static (int[] Indices, float[] Values) Sparse(List<string> units)
    {
        var counter = new Counter { Counts = new Dictionary<int, int>() };
        var n = 0;
        foreach (var unit in units)
        {
            n += Visit(unit.AsSpan(), ref counter);
        }

        var counts = counter.Counts;
        var indices = counts.Keys.ToArray();
        Array.Sort(indices);
        var values = new float[indices.Length];
        var scale = n == 0 ? 0f : 1f / MathF.Sqrt(n + PriorCount);
        for (var i = 0; i < indices.Length; i++)
        {
            values[i] = counts[indices[i]] * scale;
        }

        return (indices, values);
    }

    private struct Counter : INgramVisitor
    {
        public Dictionary<int, int> Counts;

        public readonly void Visit(int bucket) =>
            Counts[bucket] = Counts.TryGetValue(bucket, out var v) ? v + 1 : 1;
    }
}
