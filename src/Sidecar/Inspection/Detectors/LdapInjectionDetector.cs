namespace Analytics.Sidecar.Inspection.Detectors;

/// <summary>LDAP filter injection: a value that closes the application's filter and opens its own (<c>*)(|(uid=*</c>).</summary>
internal sealed class LdapInjectionDetector : IDetector
{
    public static readonly Rule FilterInjection = new("ldap-filter-injection", Categories.Ldap, 5, "LDAP filter syntax closing and reopening a filter");
    public static readonly Rule Attribute = new("ldap-attribute-probe", Categories.Ldap, 3, "an LDAP attribute wildcard probe");

    private static readonly ValueChars Trigger = ValueChars.Of("()*=");

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
