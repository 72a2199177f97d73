using System.Globalization;
using System.Text;

namespace Analytics.Tools.Inspect;

/// <summary>
/// Benign values in the shapes APIs give numbers and field lists, for training: cache busters and
/// epoch timestamps (seconds and milliseconds), negative and decimal numbers (also as a search
/// term), sort and field expressions (<c>sort=-updated_at,name</c>, JSON:API's <c>-created</c>) and search terms with
/// an exclusion (<c>shoes -red</c>), under the names APIs use for them and under field names of the
/// Elastic Common Schema. Neither the shop of CSIC nor ECS's examples have them, and the payload
/// lists do (<c>-1 union …</c>, <c>9999=9999</c>): without them the model read a leading '-' under
/// the free-text name and a run of nines as SQL and flagged <c>q=-created_at</c> and
/// <c>_=1699999999999</c>. Generated from a fixed seed, so training stays deterministic.
/// </summary>
internal static class ApiValueShapes
{
    private static readonly string[] TimeNames = ["_", "t", "ts", "cb", "v", "timestamp", "time", "since", "until", "before", "after", "from", "to", "start", "end", "nocache", "rnd", "updated_since", "created_after"];
    private static readonly string[] SortNames = ["sort", "order", "orderBy", "order_by", "sort_by", "sortBy", "ordering", "fields", "q", "sorting"];
    private static readonly string[] SearchNames = ["q", "query", "search", "s", "keywords", "filter", "term"];
    private static readonly string[] NumberNames = ["offset", "lat", "lng", "lon", "amount", "delta", "min", "max", "balance", "change", "q", "value", "x", "y", "tz_offset", "adjustment"];

    /// <summary>
    /// About <paramref name="count"/> benign requests, each one to three fields; field and search words
    /// are drawn from <paramref name="fieldNames"/> (ECS field names, e.g. <c>created</c>, <c>bytes</c>).
    /// </summary>
    public static List<Dictionary<string, string>> Requests(IReadOnlyList<string> fieldNames, int count, int seed = 1)
    {
        var random = new Random(seed);
        var words = fieldNames.Where(n => n.Length is > 1 and <= 32 && n.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')).Distinct(StringComparer.Ordinal).ToArray();
        var requests = new List<Dictionary<string, string>>(count);
        for (var i = 0; i < count; i++)
        {
            var request = new Dictionary<string, string>(StringComparer.Ordinal);
            var fields = 1 + random.Next(3);
            for (var f = 0; f < fields; f++)
            {
                var shape = (i + f) % 5;
                (string Name, string Value) field = shape switch
                {
                    0 => (Pick(random, TimeNames, words, 0.8), Timestamp(random)),
                    1 => (Pick(random, SortNames, words, 0.9), SortExpression(random, words)),
                    2 => (Pick(random, NumberNames, words, 0.6), Number(random)),
                    // A search for a number: an error code, a temperature, a score, a balance.
                    3 => (Pick(random, SearchNames, words, 0.9), Number(random)),
                    _ => (Pick(random, SearchNames, words, 0.9), SearchWithExclusion(random, words)),
                };
                request.TryAdd(field.Name, field.Value);
            }

            requests.Add(request);
        }

        return requests;
    }

    private static string Pick(Random random, string[] usual, string[] fieldNames, double usualShare) =>
        fieldNames.Length == 0 || random.NextDouble() < usualShare ? usual[random.Next(usual.Length)] : fieldNames[random.Next(fieldNames.Length)];

    /// <summary>Unix time in seconds or milliseconds between 2001 and 2033.</summary>
    private static string Timestamp(Random random)
    {
        var seconds = random.NextInt64(978_307_200, 2_000_000_000);
        return random.Next(2) == 0
            ? seconds.ToString(CultureInfo.InvariantCulture)
            : (seconds * 1000 + random.Next(1000)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>One to three fields, each descending ('-'), ascending ('+') or plain, comma-separated.</summary>
    private static string SortExpression(Random random, string[] words)
    {
        var text = new StringBuilder();
        var fields = 1 + random.Next(3);
        for (var f = 0; f < fields; f++)
        {
            text.Append(f == 0 ? "" : ",");
            var sign = random.Next(10);
            text.Append(sign < 5 ? "-" : sign == 5 ? "+" : "");
            text.Append(Word(random, words));
        }

        return text.ToString();
    }

    /// <summary>
    /// A negative integer, a negative or positive decimal (coordinates, amounts). The integer's
    /// magnitude is log-uniform: drawn uniformly from 1-99,999, nearly every one had four or five
    /// digits, and the small ones APIs carry most (<c>-1</c>, <c>-5</c>, <c>-40</c>) were left to the
    /// payload lists' <c>-1 union …</c> and <c>-1'</c>.
    /// </summary>
    private static string Number(Random random) => random.Next(3) switch
    {
        0 => (-(long)Math.Pow(10, random.NextDouble() * 5)).ToString(CultureInfo.InvariantCulture),
        1 => (-random.NextDouble() * 180).ToString("0.######", CultureInfo.InvariantCulture),
        _ => (random.NextDouble() * 2000 - 1000).ToString("0.##", CultureInfo.InvariantCulture),
    };

    /// <summary>Search terms with an excluded one, as search engines write it: <c>-word</c>, <c>word -other</c>.</summary>
    private static string SearchWithExclusion(Random random, string[] words) => random.Next(3) switch
    {
        0 => "-" + Word(random, words),
        1 => Word(random, words) + " -" + Word(random, words),
        _ => Word(random, words) + " " + Word(random, words) + " -" + Word(random, words),
    };

    private static string Word(Random random, string[] words) =>
        words.Length == 0 ? "id" : words[random.Next(words.Length)];
}
