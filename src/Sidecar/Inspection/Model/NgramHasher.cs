namespace Analytics.Sidecar.Inspection.Model;

/// <summary>
/// The learned model's features: lower-cased character 3- to 5-grams, hashed (FNV-1a) into
/// 2^18 buckets, each occurrence worth 1/sqrt(n-gram count). Training builds the same vector
/// sparsely; scoring walks the n-grams and sums weights without allocating.
/// </summary>
internal static class NgramHasher
{
    public const int Bits = 18;
    public const int Dimension = 1 << Bits;
    public const int MinN = 3;
    public const int MaxN = 5;
    public const int MaxChars = 4096;

    /// <summary>Calls <paramref name="visit"/> for every n-gram's bucket; returns the n-gram count.</summary>
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
            for (var n = 1; n <= MaxN && i + n <= text.Length; n++)
            {
                var c = char.ToLowerInvariant(text[i + n - 1]);
                hash = (hash ^ c) * 16777619u;
                if (n >= MinN)
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

    public delegate void NgramVisitor<TState>(int bucket, ref TState state);

    /// <summary>The sparse feature vector (sorted indices, values) for training.</summary>
    public static (int[] Indices, float[] Values) Sparse(string text)
    {
        var counts = new Dictionary<int, int>();
        var n = Visit(text.AsSpan(), ref counts, static (int bucket, ref Dictionary<int, int> c) =>
        {
            c[bucket] = c.TryGetValue(bucket, out var v) ? v + 1 : 1;
        });
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
