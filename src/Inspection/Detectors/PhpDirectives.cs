namespace Analytics.Inspection.Detectors;

/// <summary>
/// PHP configuration directives that switch on remote code or run a file before every script, set where a
/// request can set them: as PHP-CGI command-line arguments (<c>?-d+allow_url_include=1+-d+auto_prepend_file=php://input</c>,
/// CVE-2012-1823 and its soft-hyphen revival CVE-2024-4577, the value starting with the switch) or as a whole value an application writes into a
/// <c>.user.ini</c> or passes to <c>ini_set</c>. The same names in prose or a php.ini snippet of a documented field
/// ("set allow_url_fopen = On in php.ini") have words or other lines around them and stay level 2.
/// </summary>
internal static class PhpDirectives
{
    // Level 1 only for the directives whose setting is itself the attack; "safe_mode" and "extension" are also words.
    private static readonly string[] Dangerous =
    [
        "allow_url_include", "allow_url_fopen", "auto_prepend_file", "auto_append_file", "disable_functions", "disable_classes",
        "open_basedir", "register_globals", "sendmail_path", "zend_extension", "extension_dir", "cgi.force_redirect",
        "cgi.redirect_status_env", "phar.readonly", "enable_dl", "user_ini.filename",
    ];

    public static bool IsInjected(ReadOnlySpan<char> s)
    {
        foreach (var name in Dangerous)
        {
            for (var at = Text.IndexOf(s, name, 0); at >= 0; at = Text.IndexOf(s, name, at + 1))
            {
                var end = at + name.Length;
                if ((end < s.Length && IsNamePart(s[end])) || !IsAssigned(s[end..]))
                {
                    continue;
                }

                // "-dauto_prepend_file=" glues the name to its switch; otherwise the name starts a word.
                if ((AfterDashD(s[..at]) && StartsWithDashD(s)) || (IsWholeValue(s, at) && (at == 0 || !IsNamePart(s[at - 1]))))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>"name =" or "name=", then a value on the same line or nothing ("disable_functions=" clears the list).</summary>
    private static bool IsAssigned(ReadOnlySpan<char> rest)
    {
        rest = rest.TrimStart(' ');
        return rest.Length > 0 && rest[0] == '=' && (rest.Length == 1 || rest[1] is not '=' and not '\r' and not '\n');
    }

    /// <summary><c>-d name=</c> or <c>-dname=</c>, the hyphen also as U+00AD, which Windows' best-fit mapping turns into '-'.</summary>
    private static bool AfterDashD(ReadOnlySpan<char> before)
    {
        before = before.TrimEnd(' ');
        return before.Length >= 2 && before[^1] is 'd' or 'D' && before[^2] is '-' or '\u00AD' && (before.Length == 2 || !char.IsAsciiLetterOrDigit(before[^3]));
    }

    /// <summary>
    /// The value is the argument list itself, as the query string is to PHP-CGI: "php -d allow_url_fopen=On x.php" in a
    /// post about the command line has the command before it.
    /// </summary>
    private static bool StartsWithDashD(ReadOnlySpan<char> s)
    {
        s = s.TrimStart(' ');
        return s.Length >= 2 && s[0] is '-' or '\u00AD' && s[1] is 'd' or 'D';
    }

    /// <summary>The directive opens the value (or a key) and the assignment is all there is on its one line.</summary>
    private static bool IsWholeValue(ReadOnlySpan<char> s, int at) =>
        s[..at].Trim().IsEmpty && s.IndexOfAny('\r', '\n') < 0;

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.';
}
