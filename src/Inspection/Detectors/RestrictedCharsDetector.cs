using System.Buffers;

namespace Analytics.Inspection.Detectors;

/// <summary>
/// Paranoia levels 2-4 (in the spirit of CRS 942430-942432 and 920272/920273): the more
/// SQL and shell meta-characters a value carries, the more suspicious it is, whatever it
/// spells; and a parameter name with meta-characters at all. Ordinary values carry a few, so
/// these rules only exist above level 1, each level a lower count, and the route opts in.
/// </summary>
internal sealed class RestrictedCharsDetector : IDetector
{
    public static readonly Rule ManyMeta = new("restricted-chars-12", Categories.Sqli, 3, "twelve or more SQL/shell meta-characters in one value", Paranoia: 2);
    public static readonly Rule SomeMeta = new("restricted-chars-6", Categories.Sqli, 3, "six or more SQL/shell meta-characters in one value", Paranoia: 3);
    public static readonly Rule FewMeta = new("restricted-chars-2", Categories.Sqli, 3, "two or more SQL/shell meta-characters in one value", Paranoia: 4);
    public static readonly Rule MetaInName = new("restricted-chars-in-name", Categories.Protocol, 3, "a parameter, cookie or header name with meta-characters", Paranoia: 3);

    private static readonly SearchValues<char> Meta = SearchValues.Create("~!@#$%^&*()+={}[]|:;\"'<>`\\");

    private static readonly ValueChars MetaChars = ValueChars.Of("~!@#$%^&*()+={}[]|:;\"'<>`\\");

    public void Scan(string value, in ValueChars chars, FindingSet findings)
    {
        if (findings.Paranoia < 2 || !chars.HasAny(MetaChars))
        {
            return;
        }

        if (findings.Current.IsKey)
        {
            findings.Add(MetaInName);
            return;
        }

        var span = value.AsSpan();
        var count = 0;
        for (var i = span.IndexOfAny(Meta); i >= 0 && count < 12; )
        {
            count++;
            var next = span[(i + 1)..].IndexOfAny(Meta);
            i = next < 0 ? -1 : i + 1 + next;
        }

        if (count >= 12)
        {
            findings.Add(ManyMeta);
        }
        else if (count >= 6)
        {
            findings.Add(SomeMeta);
        }
        else if (count >= 2)
        {
            findings.Add(FewMeta);
        }
    }
}
