using System.Buffers;

namespace Analytics.Inspection.Detectors;

/// <summary>
/// Remote command execution that hides from word matching (CRS 932): quote, backslash, caret and
/// empty-variable splitting inside command words (<c>c''at</c>, <c>w\ho\am\i</c>, <c>c$@at</c>,
/// <c>w^h^o^a^m^i</c>) is undone and the result judged by the command-injection rules; path
/// globbing of binaries (<c>/???/??t /???/p??s??</c>); Windows <c>cmd</c> idioms and PowerShell
/// (<c>Invoke-WebRequest</c>, <c>IEX</c>, <c>-EncodedCommand</c>, download cradles).
/// </summary>
internal sealed class ShellEvasionDetector : IDetector
{
    public static readonly Rule Obfuscated = new("rce-unix-evasion", Categories.CommandInjection, 5, "a command word split by quotes, backslashes, carets or empty variables");
    public static readonly Rule Glob = new("rce-unix-glob", Categories.CommandInjection, 5, "a path to a binary spelled with glob wildcards");
    public static readonly Rule PowerShell = new("rce-powershell", Categories.CommandInjection, 5, "PowerShell cmdlets, flags or download cradles");
    public static readonly Rule WindowsCommand = new("rce-windows-command", Categories.CommandInjection, 5, "a Windows command-shell idiom");

    private static readonly string[] PowerShellMarkersList =
        ["invoke-webrequest", "invoke-expression", "invoke-restmethod", "invoke-command", "invoke-item", "invoke-wmimethod", "invoke-shellcode", "invoke-mimikatz",
         "iex(", "iex (", "|iex", "| iex", "-encodedcommand", "downloadstring(", "downloadfile(", "downloaddata(", "net.webclient", "new-object ",
         "start-process", "set-executionpolicy", "-executionpolicy", "-windowstyle hidden", "frombase64string(", "[convert]::", "[system.convert]::",
         "get-wmiobject", "get-ciminstance", "add-mppreference", "set-mppreference", "start-bitstransfer", "[system.net.", "[net.", "[reflection.assembly]",
         "get-childitem ", "get-content ", "remove-item ", "stop-process ", "set-content ", "out-file ", "new-itemproperty", "iwr http", "iwr -uri",
         "powershell -", "powershell.exe -", "pwsh -", "powershell /", "powershell.exe /", "powershell (", "powershell \"", "powershell '"];

    private static readonly NeedleSet PowerShellMarkers = Text.Set(PowerShellMarkersList);

    private static readonly string[] WindowsMarkersList =
        ["cmd /c", "cmd.exe /c", "cmd /k", "cmd.exe /k", "cmd /r", "/c powershell", "for /f", "rundll32", "regsvr32", "mshta ", "mshta.exe", "vssadmin",
         "net user", "net localgroup", "net1 user", "reg query", "reg add", "reg delete", "wmic process", "wmic os", "certutil -urlcache", "certutil.exe",
         "bitsadmin /transfer", "schtasks /create", "type c:\\", "dir c:\\", "copy c:\\", "del c:\\", "type %", "cscript ", "wscript ", "%windir%\\system32",
         "\\windows\\system32\\", "%systemroot%\\"];

    private static readonly NeedleSet WindowsMarkers = Text.Set(WindowsMarkersList);

    /// <summary>Both lists: one pass over a value that has neither (most values) instead of two.</summary>
    private static readonly NeedleSet AnyMarker = Text.Set([.. PowerShellMarkersList, .. WindowsMarkersList]);

    private static readonly ValueChars Splitters = ValueChars.Of("'\"\\^$");

    private static readonly SearchValues<char> GlobRoots = SearchValues.Create("?*[");

    private readonly CommandInjectionDetector _commands = new();

    [ThreadStatic]
    private static FindingSet? t_scratch;

    public void Scan(string value, in ValueChars valueChars, FindingSet findings)
    {
        var chars = valueChars;
        value = Text.TabsAsSpaces(value, ref chars);

        var s = value.AsSpan();
        if ((chars.Has('-', '(') || chars.Has('[', '|') || chars.Has(' ') || chars.Has('.')) && Text.HasAny(s, AnyMarker))
        {
            if (Text.HasAny(s, PowerShellMarkers))
            {
                findings.Add(PowerShell);
            }

            if (Text.HasAny(s, WindowsMarkers))
            {
                findings.Add(WindowsCommand);
            }
        }

        if (chars.Has('/') && (chars.Has('?') || chars.Has('*')) && HasGlobbedBinary(s))
        {
            findings.Add(Glob);
        }

        if (chars.HasAny(Splitters) && s.Length <= 4096)
        {
            var plain = Unsplit(s);
            if (plain is not null && IsCommand(plain, findings.Current))
            {
                findings.Add(Obfuscated);
            }
        }
    }

    private bool IsCommand(string plain, ValueLocation location)
    {
        var scratch = t_scratch ??= new FindingSet();
        scratch.Reset(null);
        scratch.Current = location;
        _commands.Scan(plain, ValueChars.Of(plain), scratch);
        return scratch.Contains(CommandInjectionDetector.ChainedCommand) || scratch.Contains(CommandInjectionDetector.Substitution)
            || scratch.Contains(CommandInjectionDetector.BinaryPath);
    }

    /// <summary>
    /// The value with word-internal splitters removed, or null when there were none: quotes and
    /// carets between letters, a backslash before a letter inside a word, and <c>$@</c>, <c>$*</c>,
    /// <c>$1</c>…, <c>${x}</c> / <c>$x</c> that split a word (they expand to nothing).
    /// </summary>
    internal static string? Unsplit(ReadOnlySpan<char> s)
    {
        if (s.Contains(":\\", StringComparison.Ordinal) || s.Contains("\\\\", StringComparison.Ordinal))
        {
            // A Windows path: its backslashes separate directories, they do not split words.
            return null;
        }

        var buffer = ArrayPool<char>.Shared.Rent(s.Length);
        try
        {
            var n = 0;
            var changed = false;
            for (var i = 0; i < s.Length; i++)
            {
                var c = s[i];
                var prevLetter = n > 0 && char.IsAsciiLetter(buffer[n - 1]);
                if (c is '\'' or '"' or '^')
                {
                    var j = i;
                    while (j < s.Length && s[j] == c)
                    {
                        j++;
                    }

                    if (prevLetter && j < s.Length && char.IsAsciiLetter(s[j]) && (c != '\'' || j - i >= 2 || CountOf(s, c) >= 2))
                    {
                        changed = true;
                        i = j - 1;
                        continue;
                    }
                }
                else if (c == '\\' && i + 1 < s.Length && char.IsAsciiLetter(s[i + 1]) && (prevLetter || n == 0 || buffer[n - 1] is ' ' or ';' or '|' or '&' or '/'))
                {
                    changed = true;
                    continue;
                }
                else if (c == '$' && i + 1 < s.Length && (prevLetter || (i + 2 < s.Length && char.IsAsciiLetter(s[i + 2]) && s[i + 1] is '@' or '*')))
                {
                    var next = s[i + 1];
                    if (next is '@' or '*' || char.IsAsciiDigit(next))
                    {
                        changed = true;
                        i++;
                        continue;
                    }

                    if (next == '{' && prevLetter)
                    {
                        var close = s[i..].IndexOf('}');
                        if (close > 0 && close < 32 && i + close + 1 < s.Length && char.IsAsciiLetter(s[i + close + 1]))
                        {
                            changed = true;
                            i += close;
                            continue;
                        }
                    }
                }

                buffer[n++] = c;
            }

            return changed ? new string(buffer, 0, n) : null;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static int CountOf(ReadOnlySpan<char> s, char c)
    {
        var n = 0;
        foreach (var x in s)
        {
            n += x == c ? 1 : 0;
        }

        return n;
    }

    /// <summary>
    /// "/???/??t", "/bin/c?t", "/e??/p*wd": a path token (no '=' or '&amp;', so not a URL query) with
    /// a segment of wildcards only, or wildcards under a system root.
    /// </summary>
    private static bool HasGlobbedBinary(ReadOnlySpan<char> s)
    {
        for (var i = s.IndexOf('/'); i >= 0 && i < s.Length; i++)
        {
            if (s[i] != '/' || (i > 0 && s[i - 1] is not (' ' or '\t' or ';' or '|' or '&' or '`' or '(' or '\'' or '"' or '=' or '$' or '\n')))
            {
                continue;
            }

            var end = i;
            while (end < s.Length && (char.IsAsciiLetterOrDigit(s[end]) || s[end] is '/' or '?' or '*' or '[' or ']' or '.' or '_' or '-'))
            {
                end++;
            }

            var token = s[i..end];
            var wild = token.IndexOfAny(GlobRoots) >= 0;
            if (wild && (token.Contains("/??", StringComparison.Ordinal)
                || (CountWild(token) >= 1 && (token.StartsWith("/bin/", StringComparison.Ordinal) || token.StartsWith("/usr/", StringComparison.Ordinal)
                    || token.StartsWith("/etc/", StringComparison.Ordinal) || token.StartsWith("/e?c/", StringComparison.Ordinal) || token.StartsWith("/b?n/", StringComparison.Ordinal)
                    || token.StartsWith("/?in/", StringComparison.Ordinal) || token.StartsWith("/bi?/", StringComparison.Ordinal)))))
            {
                return true;
            }

            i = end;
        }

        return false;
    }

    private static int CountWild(ReadOnlySpan<char> s)
    {
        var n = 0;
        foreach (var c in s)
        {
            n += c is '?' or '*' ? 1 : 0;
        }

        return n;
    }
}
