using System.Collections.Frozen;

namespace Analytics.Inspection.Detectors;

/// <summary>
/// PHP calls whose callee is computed rather than named, the way webshells hide <c>system</c>:
/// a variable function (<c>$f(…)</c>, <c>$$f(…)</c>, <c>${…}(…)</c>, <c>$_[0]['x'](…)</c>, with comments and white
/// space between the parts), a callee in brackets or quotes that spells a dangerous function
/// (<c>(system)(…)</c>, <c>[system][0](…)</c>, <c>"pass"."thru"(…)</c>, <c>(sh.(ell_).exec)(…)</c>), a variable in
/// parentheses called (<c>($y)(…)</c>), and a function name or string assembled from quoted pieces or
/// <c>chr()</c> codes (<c>'pass'.'thru'</c>, <c>chr(105).chr(100)</c>).
/// </summary>
internal static class PhpDynamicCalls
{
    private const int MaxGroup = 256;

    // Names that are also English words are left out: "[file](notes)" is a markdown link, not a call.
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Names = WordLists.PhpFunctions
        .Except(["file", "copy", "mail", "pack", "glob", "chr", "ord", "extract", "include", "require", "dl"], StringComparer.OrdinalIgnoreCase)
        .Select(LettersOf)
        .ToFrozenSet(StringComparer.OrdinalIgnoreCase)
        .GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary><c>$name</c> or <c>${…}</c>, then indexes, comments or white space, then a closed argument list.</summary>
    public static bool HasVariableFunctionCall(ReadOnlySpan<char> s)
    {
        for (var i = s.IndexOf('$'); i >= 0; i = Text.IndexOf(s, '$', i + 1))
        {
            if (i > 0 && (char.IsAsciiLetterOrDigit(s[i - 1]) || s[i - 1] is '_' or '.' or '\\' or '$'))
            {
                // A member (this.$emit), an escaped dollar, or the second '$' of "$$f" (the first one is judged).
                continue;
            }

            var j = i;
            while (j < s.Length && s[j] == '$')
            {
                j++;
            }

            var braced = false;
            var k = SkipSpaces(s, j);
            if (k < s.Length && s[k] == '{')
            {
                var close = Matching(s, k);
                if (close < 0)
                {
                    continue;
                }

                j = close + 1;
                braced = true;
            }
            else if (j < s.Length && IsIdentifierStart(s[j]))
            {
                var nameStart = j;
                while (j < s.Length && IsIdentifierChar(s[j]))
                {
                    j++;
                }

                if (!CallFollows(s, j, s[nameStart..j], out _))
                {
                    continue;
                }

                return true;
            }
            else
            {
                continue;
            }

            // "${name} (optional)" is a template placeholder in prose; "${@a}(10)" is a call.
            if (braced && j < s.Length && (s[j] is '(' or '[' or '{') && CallFollows(s, j, default, out _))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A callee in parentheses, brackets or quotes that spells a dangerous function, or holds a variable, then a call.</summary>
    public static bool HasComputedCall(ReadOnlySpan<char> s)
    {
        for (var p = s.IndexOf('('); p >= 0; p = Text.IndexOf(s, '(', p + 1))
        {
            var end = p == 0 ? -1 : SkipBackSpacesAndComments(s, p - 1);
            if (end < 0 || s[end] is not (')' or ']' or '}' or '\'' or '"'))
            {
                continue;
            }

            var start = CalleeStart(s, end);
            if (start < 0 || start > end)
            {
                continue;
            }

            var close = Matching(s, p);
            if (close < 0 || ArgumentIsLink(s[(p + 1)..close]))
            {
                continue;
            }

            var callee = s[start..(end + 1)];
            if (HasVariable(callee) || SpellsName(callee))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Two or more quoted pieces joined by '.' that spell a dangerous function, or a chain of <c>chr(n)</c> codes.</summary>
    public static bool HasAssembledName(ReadOnlySpan<char> s)
    {
        Span<char> letters = stackalloc char[64];
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] is not ('\'' or '"' or 'c' or 'C'))
            {
                continue;
            }

            var n = 0;
            var pieces = 0;
            var chrCalls = 0;
            var j = i;
            while (j < s.Length)
            {
                var pieceEnd = QuotedOrChrEnd(s, j, out var isChr);
                if (pieceEnd < 0)
                {
                    break;
                }

                pieces++;
                if (isChr)
                {
                    chrCalls++;
                }
                else
                {
                    foreach (var c in s[(j + 1)..pieceEnd])
                    {
                        if (char.IsAsciiLetter(c) || c == '_')
                        {
                            if (n == letters.Length)
                            {
                                break;
                            }

                            letters[n++] = c;
                        }
                    }
                }

                var dot = SkipSpaces(s, pieceEnd + 1);
                if (dot >= s.Length || s[dot] != '.')
                {
                    j = pieceEnd + 1;
                    break;
                }

                j = SkipSpaces(s, dot + 1);
            }

            if (pieces >= 2 && (chrCalls >= 2 || (chrCalls == 0 && Names.Contains(letters[..n]))))
            {
                return true;
            }

            i = Math.Max(i, j - 1);
        }

        return false;
    }

    /// <summary>What follows a variable's name: indexes, comments, white space, then '(' … ')'.</summary>
    private static bool CallFollows(ReadOnlySpan<char> s, int j, ReadOnlySpan<char> name, out int open)
    {
        open = -1;
        var spaced = false;
        var decorated = false;
        var newline = false;
        while (j < s.Length)
        {
            var c = s[j];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                spaced = true;
                newline |= c is '\t' or '\r' or '\n';
                j++;
            }
            else if (c is '[' or '{')
            {
                var close = Matching(s, j);
                if (close < 0)
                {
                    return false;
                }

                decorated = true;
                j = close + 1;
            }
            else if (c == '/' && j + 1 < s.Length && s[j + 1] == '*')
            {
                var close = s[(j + 2)..].IndexOf("*/", StringComparison.Ordinal);
                if (close < 0)
                {
                    return false;
                }

                decorated = true;
                j += close + 4;
            }
            else if ((c == '#' || (c == '/' && j + 1 < s.Length && s[j + 1] == '/')) && decorated | spaced)
            {
                var eol = s[j..].IndexOf('\n');
                if (eol < 0)
                {
                    return false;
                }

                decorated = true;
                j += eol + 1;
            }
            else
            {
                break;
            }
        }

        if (j >= s.Length || s[j] != '(')
        {
            return false;
        }

        // "$PATH (see the docs)" is prose; a name with a digit or '_', a line break or an index before the call is code.
        if (spaced && !decorated && !newline && !name.IsEmpty && !name.Contains('_') && !name.ContainsAnyInRange('0', '9'))
        {
            return false;
        }

        var end = Matching(s, j);
        if (end < 0)
        {
            return false;
        }

        // "$f(x) = x^2$" is TeX: a closing '$' follows that no PHP variable name does.
        for (var k = s[j..].IndexOf('$'); k >= 0; k = Text.IndexOf(s[j..], '$', k + 1))
        {
            var after = j + k + 1;
            if (after >= s.Length || !(IsIdentifierStart(s[after]) || s[after] is '{' or '$'))
            {
                return false;
            }
        }

        open = j;
        return true;
    }

    /// <summary>Walks back from a callee's last character over groups, quotes, '.' and comments to where it starts.</summary>
    private static int CalleeStart(ReadOnlySpan<char> s, int end)
    {
        var k = end;
        var start = -1;
        for (var steps = 0; k >= 0 && steps < 16; steps++)
        {
            var c = s[k];
            if (c is ')' or ']' or '}')
            {
                var open = MatchingBack(s, k);
                if (open < 0)
                {
                    return -1;
                }

                start = open;
                k = open - 1;
            }
            else if (c is '\'' or '"')
            {
                var open = k > 0 ? s[..k].LastIndexOf(c) : -1;
                if (open < 0 || k - open > MaxGroup)
                {
                    return -1;
                }

                start = open;
                k = open - 1;
            }
            else
            {
                break;
            }

            // Between the parts of a callee: white space, comments and the '.' of a concatenation.
            var before = SkipBackSpacesAndComments(s, k);
            if (before >= 0 && s[before] == '.')
            {
                k = SkipBackSpacesAndComments(s, before - 1);
                while (k >= 0 && IsIdentifierChar(s[k]))
                {
                    start = k;
                    k--;
                }

                k = SkipBackSpacesAndComments(s, k);
                if (k >= 0 && s[k] == '.')
                {
                    k = SkipBackSpacesAndComments(s, k - 1);
                }
            }
            else
            {
                k = before;
            }
        }

        return start;
    }

    private static bool SpellsName(ReadOnlySpan<char> callee)
    {
        Span<char> letters = stackalloc char[64];
        var n = 0;
        for (var i = 0; i < callee.Length; i++)
        {
            if (callee[i] == '/' && i + 1 < callee.Length && callee[i + 1] == '*')
            {
                var close = callee[(i + 2)..].IndexOf("*/", StringComparison.Ordinal);
                if (close < 0)
                {
                    break;
                }

                i += close + 3;
                continue;
            }

            var c = callee[i];
            if (char.IsAsciiLetter(c) || c == '_')
            {
                if (n == letters.Length)
                {
                    return false;
                }

                letters[n++] = c;
            }
        }

        var word = letters[..n];
        // A "(string)" cast in front of the quoted name.
        if (word.StartsWith("string", StringComparison.OrdinalIgnoreCase) && Names.Contains(word[6..]))
        {
            return true;
        }

        return Names.Contains(word);
    }

    private static bool HasVariable(ReadOnlySpan<char> callee)
    {
        for (var i = callee.IndexOf('$'); i >= 0 && i + 1 < callee.Length; i = Text.IndexOf(callee, '$', i + 1))
        {
            if (IsIdentifierStart(callee[i + 1]) && callee[0] != '\'' && callee[0] != '"')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A markdown link's target: "[system](https://…)", "[exec](#usage)", "[x](./docs.md)".</summary>
    private static bool ArgumentIsLink(ReadOnlySpan<char> argument)
    {
        var a = argument.Trim();
        return a.Contains("://", StringComparison.Ordinal) || (a.Length > 0 && a[0] is '/' && !(a.Length > 1 && a[1] == '*')) || (a.Length > 0 && a[0] is '#' or '.')
            || a.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The end of a quoted piece at <paramref name="j"/>, or of a <c>chr(n)</c> call there.</summary>
    private static int QuotedOrChrEnd(ReadOnlySpan<char> s, int j, out bool isChr)
    {
        isChr = false;
        if (s[j] is '\'' or '"')
        {
            var close = s[(j + 1)..].IndexOf(s[j]);
            return close < 0 || close > 64 ? -1 : j + 1 + close;
        }

        if (j + 4 < s.Length && s[j..(j + 4)].Equals("chr(", StringComparison.OrdinalIgnoreCase) && (j == 0 || !IsIdentifierChar(s[j - 1])))
        {
            var k = j + 4;
            while (k < s.Length && (char.IsAsciiDigit(s[k]) || s[k] == ' '))
            {
                k++;
            }

            if (k > j + 4 && k < s.Length && s[k] == ')')
            {
                isChr = true;
                return k;
            }
        }

        return -1;
    }

    private static string LettersOf(string name) => new([.. name.Where(c => !char.IsAsciiDigit(c))]);

    private static int Matching(ReadOnlySpan<char> s, int open)
    {
        var o = s[open];
        var c = o switch { '(' => ')', '[' => ']', _ => '}' };
        var depth = 0;
        var limit = Math.Min(s.Length, open + MaxGroup);
        for (var i = open; i < limit; i++)
        {
            if (s[i] == o)
            {
                depth++;
            }
            else if (s[i] == c && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static int MatchingBack(ReadOnlySpan<char> s, int close)
    {
        var c = s[close];
        var o = c switch { ')' => '(', ']' => '[', _ => '{' };
        var depth = 0;
        var limit = Math.Max(0, close - MaxGroup);
        for (var i = close; i >= limit; i--)
        {
            if (s[i] == c)
            {
                depth++;
            }
            else if (s[i] == o && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static int SkipSpaces(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or '\r' or '\n')
        {
            i++;
        }

        return i;
    }

    private static int SkipBackSpacesAndComments(ReadOnlySpan<char> s, int k)
    {
        while (k >= 0)
        {
            if (s[k] is ' ' or '\t' or '\r' or '\n')
            {
                k--;
            }
            else if (k >= 3 && s[k] == '/' && s[k - 1] == '*')
            {
                var open = s[..(k - 1)].LastIndexOf("/*", StringComparison.Ordinal);
                if (open < 0)
                {
                    return k;
                }

                k = open - 1;
            }
            else
            {
                break;
            }
        }

        return k;
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= '\u007f';

    private static bool IsIdentifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c >= '\u007f';
}
