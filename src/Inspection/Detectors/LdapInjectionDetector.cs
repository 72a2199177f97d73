using System.Text;

namespace Analytics.Inspection.Detectors;

/// <summary>
/// LDAP filter injection: a value that closes the application's filter and opens its own
/// (<c>*)(|(uid=*</c>), also spelled with RFC 4515 escapes (<c>\2a\29\28|\28uid=\2a</c>) for a
/// directory layer that unescapes before it builds the filter. Bare attribute names, wildcards and
/// single characters (<c>cn</c>, <c>admin*</c>, <c>*</c>, <c>)</c>) are values, not filter syntax,
/// and are left alone, as CRS's rule 921200 leaves them.
/// </summary>
internal sealed class LdapInjectionDetector : IDetector
{
    public static readonly Rule FilterInjection = new("ldap-filter-injection", Categories.Ldap, 5, "LDAP filter syntax closing and reopening a filter");
    public static readonly Rule Attribute = new("ldap-attribute-probe", Categories.Ldap, 3, "an LDAP attribute wildcard probe");

    private static readonly ValueChars Trigger = ValueChars.Of("()*=\\");

    private static readonly string[] Structures = ["*)(", ")(|", ")(&", ")(!", "(|(", "(&(", "(!(", "*))", "*)%00", "*)\0", ")(cn=", ")(uid=", "))(|"];

    private static readonly NeedleSet StructuresSet = Text.Set(Structures);

    private static readonly string[] Attributes = ["objectclass=", "userpassword=", "uid=*", "cn=*", "mail=*", "samaccountname=", "memberof=", "objectcategory="];

    private static readonly NeedleSet AttributesSet = Text.Set(Attributes);

    public void Scan(string value, in ValueChars chars, FindingSet findings)
    {
        if (!chars.HasAny(Trigger))
        {
            return;
        }

        if (chars.Has('\\') && UnescapeFilterChars(value) is { } unescaped)
        {
            Scan(unescaped, ValueChars.Of(unescaped), findings);
        }

        var s = value.AsSpan();
        if (Text.HasAny(s, StructuresSet) || HasMetacharacterRun(s))
        {
            findings.Add(FilterInjection);
        }

        // Every attribute probe has its '='.
        if (chars.Has('=') && Text.HasAny(s, AttributesSet))
        {
            findings.Add(Attribute);
            if (chars.Has('(', '*'))
            {
                findings.Add(FilterInjection);
            }
        }
    }

    /// <summary>
    /// The value with RFC 4515 escapes of filter syntax (<c>\28</c> '(', <c>\29</c> ')', <c>\2a</c> '*',
    /// <c>\00</c> NUL, and of the operators <c>\7c</c> '|', <c>\26</c> '&amp;', <c>\21</c> '!', <c>\3d</c>
    /// '=') read as the characters; null when it has none. Other backslashes (Windows paths) stay.
    /// </summary>
    internal static string? UnescapeFilterChars(string value)
    {
        StringBuilder? text = null;
        var copied = 0;
        for (var i = value.IndexOf('\\'); i >= 0 && i + 2 < value.Length; i = value.IndexOf('\\', i + 1))
        {
            var high = HexValue(value[i + 1]);
            var low = HexValue(value[i + 2]);
            var c = (char)((high << 4) | low);
            if (high < 0 || low < 0 || c is not ('(' or ')' or '*' or '\0' or '|' or '&' or '!' or '='))
            {
                continue;
            }

            text ??= new StringBuilder(value.Length);
            text.Append(value, copied, i - copied).Append(c);
            copied = i + 3;
            i += 2;
        }

        return text?.Append(value, copied, value.Length - copied).ToString();
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>
    /// "*()|&amp;'": four or more filter metacharacters in a row, among them a wildcard, a
    /// parenthesis and an operator, the way filter fuzzing probes the parser. Text and
    /// emoticons do not string these together.
    /// </summary>
    private static bool HasMetacharacterRun(ReadOnlySpan<char> s)
    {
        var star = s.IndexOf('*');
        if (star < 0)
        {
            return false;
        }

        var start = star;
        while (start > 0 && s[start - 1] is '*' or '(' or ')' or '|' or '&' or '!' or '=')
        {
            start--;
        }

        var end = star;
        while (end < s.Length && s[end] is '*' or '(' or ')' or '|' or '&' or '!' or '=')
        {
            end++;
        }

        var run = s[start..end];
        return run.Length >= 4 && run.IndexOfAny('(', ')') >= 0 && run.IndexOfAny('|', '&', '!') >= 0;
    }
}
