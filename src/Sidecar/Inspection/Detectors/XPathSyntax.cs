namespace Analytics.Sidecar.Inspection.Detectors;

/// <summary>XPath's own syntax: axis steps (<c>child::</c>, <c>//node()</c>) and calls of its core functions.</summary>
internal static class XPathSyntax
{
    private static readonly string[] Axes =
    [
        "child::", "descendant::", "descendant-or-self::", "parent::", "ancestor::", "ancestor-or-self::", "following-sibling::",
        "preceding-sibling::", "following::", "preceding::", "attribute::", "self::", "namespace::",
    ];

    private static readonly string[] Functions =
    [
        "count(", "name(", "local-name(", "string-length(", "substring(", "contains(", "starts-with(", "normalize-space(",
        "string(", "concat(", "translate(", "position(", "last(", "text(", "node(",
    ];

    private static readonly NeedleSet AxesSet = Text.Set(Axes);

    public static bool HasAxisStep(ReadOnlySpan<char> s) => Text.HasAny(s, AxesSet) || s.Contains("/node()", StringComparison.OrdinalIgnoreCase);

    public static bool HasFunctionCall(ReadOnlySpan<char> s)
    {
        // A function call wrapping a path: "count(/child::node())", "name(//user[1])".
        foreach (var f in Functions)
        {
            var at = s.IndexOf(f, StringComparison.OrdinalIgnoreCase);
            if (at < 0 || (at > 0 && char.IsAsciiLetter(s[at - 1])))
            {
                continue;
            }

            var arg = s[(at + f.Length)..];
            if ((arg.Length > 0 && arg[0] is '/' or '@') || HasAxisStep(arg))
            {
                return true;
            }
        }

        return false;
    }
}
