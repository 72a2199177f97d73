namespace Analytics.Sidecar.Inspection.Detectors;

/// <summary>
/// Server-side template injection: expression delimiters of the common engines (<c>{{ }}</c>,
/// <c>${ }</c>, <c>#{ }</c>, <c>{% %}</c>, <c>&lt;%= %&gt;</c>, <c>*{ }</c>) around something that
/// evaluates — an operator, call, attribute access or dunder — rather than plain text.
/// </summary>
internal sealed class TemplateInjectionDetector : IDetector
{
    public static readonly Rule Expression = new("ssti-expression", Categories.Ssti, 5, "a template expression that evaluates code");
    public static readonly Rule Delimiters = new("ssti-delimiters", Categories.Ssti, 3, "template expression delimiters");

    private static readonly System.Buffers.SearchValues<char> ExpressionChars = System.Buffers.SearchValues.Create("._()[]*+|'\"=:");

    private static readonly System.Buffers.SearchValues<char> StrictChars = System.Buffers.SearchValues.Create(".([");

    public void Scan(string value, in ValueChars chars, FindingSet findings)
    {
        if (!chars.Has('{', '%') && !chars.Has('@'))
        {
            return;
        }

        var s = value.AsSpan();
        Check(s, "{{", "}}", findings);
        Check(s, "${", "}", findings);
        Check(s, "#{", "}", findings);
        Check(s, "*{", "}", findings);
        Check(s, "{%", "%}", findings);
        Check(s, "<%", "%>", findings);
        Check(s, "@{", "}", findings);
        // Razor's and Smarty's delimiters are also an e-mail's "@(" and a placeholder's "{$name}": they count only around an expression.
        Check(s, "@(", ")", findings, expressionOnly: true);
        Check(s, "{$", "}", findings, expressionOnly: true);
    }

    /// <summary>"7*7", "3 * 3", "1+2": arithmetic on number literals, the probe that shows the engine evaluated.</summary>
    private static bool HasLiteralArithmetic(ReadOnlySpan<char> inner)
    {
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] is not ('*' or '+' or '-' or '/' or '%'))
            {
                continue;
            }

            var l = i - 1;
            while (l >= 0 && inner[l] == ' ')
            {
                l--;
            }

            var r = i + 1;
            while (r < inner.Length && inner[r] == ' ')
            {
                r++;
            }

            if (l >= 0 && r < inner.Length && char.IsAsciiDigit(inner[l]) && char.IsAsciiDigit(inner[r]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A dotted path of plain identifiers (no calls, operators, indexers or dunders).</summary>
    private static bool IsPlainPath(ReadOnlySpan<char> inner) =>
        inner.Length is > 0 and <= 64 && inner.IndexOfAnyExcept(PathChars) < 0 && !inner.Contains("__", StringComparison.Ordinal)
        && !inner.StartsWith("self", StringComparison.OrdinalIgnoreCase) && !inner.StartsWith("config", StringComparison.OrdinalIgnoreCase)
        && !inner.StartsWith("request", StringComparison.OrdinalIgnoreCase) && !inner.StartsWith("settings", StringComparison.OrdinalIgnoreCase)
        && !inner.StartsWith("app.", StringComparison.OrdinalIgnoreCase) && !inner.StartsWith("_", StringComparison.Ordinal);

    private static readonly System.Buffers.SearchValues<char> PathChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");

    private static void Check(ReadOnlySpan<char> s, string open, string close, FindingSet findings, bool expressionOnly = false)
    {
        var o = s.IndexOf(open, StringComparison.Ordinal);
        if (o < 0)
        {
            return;
        }

        var rest = s[(o + open.Length)..];
        var c = rest.IndexOf(close, StringComparison.Ordinal);
        var inner = c < 0 ? rest : rest[..c];
        if (inner.Length == 0)
        {
            return;
        }

        var broad = open is "{{" or "${" or "<%";
        if (open == "{{" && IsPlainPath(inner.Trim()))
        {
            // "{{customer.first_name}}": a mustache placeholder, the form notification and e-mail templates take.
            findings.Add(Delimiters);
            return;
        }

        if ((broad ? inner.IndexOfAny(ExpressionChars) >= 0 : inner.IndexOfAny(StrictChars) >= 0) || Text.Has(inner, "__") || Text.Has(inner, "config") || Text.Has(inner, "self") || Text.Has(inner, "IFS")
            || HasLiteralArithmetic(inner) || inner.Trim().Equals("request", StringComparison.OrdinalIgnoreCase))
        {
            if (c >= 0 || open == "${")
            {
                findings.Add(Expression);
            }
            else if (!expressionOnly)
            {
                findings.Add(Delimiters);
            }
        }
        else if (!expressionOnly)
        {
            findings.Add(Delimiters);
        }
    }
}
