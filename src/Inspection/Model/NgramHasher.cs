namespace Analytics.Inspection.Model;

/// <summary>
/// The learned model's features: lower-cased character 3- to 5-grams, hashed (FNV-1a) into
/// 2^18 buckets, each occurrence worth 1/sqrt(n-gram count). Only n-grams that contain a
/// character other than a letter or white space count ("syntax" n-grams: <c>' o</c>, <c>=1-</c>,
/// <c>&lt;scr</c>): the words themselves would teach the model the corpora's languages, and it
/// flagged ordinary English ("select a gift") for being unlike the Spanish shop it saw.
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

    /// <summary>Calls <paramref name="visit"/> for every syntax n-gram's bucket; returns their count.</summary>
    public static int Visit<TState>(ReadOnlySpan<char> text, ref TState state, NgramVisitor<TState> visit)
    {
        if (text.Length > MaxChars)
        {
            text = text[..MaxChars];
        }

        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var hash = 2166136261u;
            var syntax = false;
            for (var n = 1; n <= MaxN && i + n <= text.Length; n++)
            {
                var c = char.ToLowerInvariant(text[i + n - 1]);
                hash = (hash ^ c) * 16777619u;
                syntax |= IsSyntax(c);
                if (n >= MinN && syntax)
                {
                    // Mix the length in, so "abc" as a 3-gram and a 4-gram prefix never share a bucket by construction.
                    var bucket = (int)(((hash ^ (uint)n) * 2654435761u) >> (32 - Bits));
                    visit(bucket, ref state);
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Not a letter, not white space, not one of <see cref="ModelInput"/>'s value boundary marks.</summary>
    private static bool IsSyntax(char c) => !char.IsLetter(c) && !char.IsWhiteSpace(c) && c > ModelInput.ValueEnd;

    public delegate void NgramVisitor<TState>(int bucket, ref TState state);

    /// <summary>
    /// The sparse feature vector (sorted indices, values) of a request's units for training: the
    /// n-gram counts of all units, scaled by 1/sqrt(their total), as the scorer sums them.
    /// </summary>
    public static (int[] Indices, float[] Values) Sparse(List<string> units)
    {
        var counts = new Dictionary<int, int>();
        var n = 0;
        foreach (var unit in units)
        {
            n += Visit(unit.AsSpan(), ref counts, static (int bucket, ref Dictionary<int, int> c) =>
            {
                c[bucket] = c.TryGetValue(bucket, out var v) ? v + 1 : 1;
            });
        }

        var indices = counts.Keys.ToArray();
        Array.Sort(indices);
        var values = new float[indices.Length];
        var scale = n == 0 ? 0f : 1f / MathF.Sqrt(n);
        for (var i = 0; i < indices.Length; i++)
        {
            values[i] = counts[indices[i]] * scale;
        }

        return (indices, values);
    }
}
