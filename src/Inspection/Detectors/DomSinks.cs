namespace Analytics.Inspection.Detectors;

/// <summary>
/// A DOM sink written on its own (<c>document.cookie</c>, <c>window.location.href</c>): what a payload reads or
/// assigns to steal a session or redirect, put where a page echoes a name or a value into script.
/// </summary>
internal static class DomSinks
{
    private static readonly string[] Expressions =
    [
        "document.cookie", "document.domain", "document.location", "document.write", "document.writeln", "window.location",
        "top.location", "parent.location", "self.location", "location.href", "window.name",
    ];

    /// <summary>The trimmed text is a sink, optionally followed by more members and a ';' (<c>window.location.href;</c>).</summary>
    public static bool IsWholeExpression(ReadOnlySpan<char> s)
    {
        s = s.Trim().TrimEnd(';');
        foreach (var e in Expressions)
        {
            if (s.StartsWith(e, StringComparison.OrdinalIgnoreCase))
            {
                var rest = s[e.Length..];
                return rest.IsEmpty || (rest[0] == '.' && rest[1..].IndexOfAnyExcept(Member) < 0);
            }
        }

        return false;
    }

    private static readonly System.Buffers.SearchValues<char> Member =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");
}
