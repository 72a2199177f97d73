using Analytics.Inspection.Normalization;

namespace Analytics.Inspection.Detectors;

/// <summary>
/// Path traversal and local file inclusion: '..' segments with either separator, absolute
/// paths into system directories, well-known sensitive files, and stream wrappers
/// (<c>php://</c>, <c>file://</c>, …) that turn a file parameter into a read primitive.
/// </summary>
internal sealed class PathTraversalDetector : IDetector
{
    public static readonly Rule DotDot = new("traversal-dot-dot", Categories.PathTraversal, 4, "a '..' path segment");
    public static readonly Rule DotDotRepeated = new("traversal-dot-dot-repeated", Categories.PathTraversal, 5, "repeated '..' path segments");
    public static readonly Rule SensitiveFile = new("lfi-sensitive-file", Categories.Lfi, 5, "a well-known sensitive system file");
    public static readonly Rule SystemPath = new("lfi-system-path", Categories.Lfi, 5, "an absolute path into a system directory");
    public static readonly Rule Wrapper = new("lfi-stream-wrapper", Categories.Lfi, 5, "a file or stream wrapper scheme");

    private static readonly ValueChars Trigger = ValueChars.Of("./\\:%");

    private static readonly string[] SensitiveFiles =
    [
        "etc/passwd", "etc/shadow", "etc/group", "etc/hosts", "etc/issue", "etc/motd", "etc/master.passwd", "proc/self",
        "proc/version", "proc/cmdline", "boot.ini", "win.ini", "system.ini", "windows/system32", "winnt/system32",
        "system32/", ".htpasswd", ".htaccess", "web.config", "php.ini", "httpd.conf", "my.cnf", "my.ini", "id_rsa",
        "id_dsa", "authorized_keys", "known_hosts", ".bash_history", ".ssh/", "wp-config", "config.inc", "/.env",
        ".git/config", "/.git/", "/.svn/", "config/sam", "repair/sam", "etc/httpd", "etc/apache", "etc/nginx", "etc/mysql",
        "apache/logs", "apache2/logs", "httpd/logs", "access_log", "error_log", "access.log", "error.log",
        "/inetpub/", "etc/sudoers", "etc/crontab", "etc/fstab", "etc/resolv.conf", "etc/profile", "etc/network",
        "etc/security", "etc/ssh", "etc/php", "etc/init", "etc/hostname", "/bin/sh", "/bin/bash", "cmd.exe",
        "/dev/null", "/dev/tcp", "/dev/zero", "/dev/random", "/dev/stdin", "/dev/fd", "/environ",
        "tomcat-users", "server.xml", "web.xml", "applicationhost.config",
        "/usr/local/apache", "/usr/local/etc", "/usr/pkg/etc", "/opt/lampp", "/opt/xampp", ".rhosts", ".netrc", ".pgpass",
        // procfs entries that describe the host (lfi-os-files.data, Apache-2.0): read through any file parameter or path.
        "proc/interrupts", "proc/cpuinfo", "proc/meminfo", "proc/mounts", "proc/net/", "proc/kcore", "proc/modules",
        "proc/partitions", "proc/sched_debug", "proc/kallsyms", "proc/devices", "proc/filesystems",
    ];

    private static readonly NeedleSet SensitiveFilesSet = Text.Set(SensitiveFiles);

    // sysfs directories that describe the host's hardware, kernel and network (/sys/class/net/eth0/address is its MAC).
    // Whole segments only: "/sys/classes" and "analysis/class" are an API's.
    private static readonly string[] Sysfs = ["/sys/class", "/sys/kernel", "/sys/devices", "/sys/firmware", "/sys/block", "/sys/bus", "/sys/module", "/sys/power"];

    private static readonly string[] SystemRoots =
    [
        "/etc/", "/proc/", "/var/log/", "/var/lib/", "/var/run/", "/var/mail/", "/var/spool/", "/var/www/", "/var/adm/",
        "/var/saf/", "/var/backups/", "/var/cache/", "/var/db/", "/var/tmp/", "/var/cron/", "/xampp/",
        "/usr/local/", "/usr/bin/", "/usr/sbin/", "/usr/lib/", "/usr/share/", "/root/", "/bin/", "/sbin/", "/sys/",
        "/dev/", "/tmp/", "/boot/", "c:/", "d:/", "%systemroot%",
        "%windir%", "/windows/", "/winnt/", "/program files", "/inetpub", "/documents and settings",
    ];

    private static readonly NeedleSet SystemRootsSet = Text.Set(SystemRoots);

    private static readonly ValueChars RootChars = ValueChars.Of("/\\:%");

    private static readonly string[] Wrappers =
    [
        "php://", "file:", "zip://", "phar://", "expect://", "data://", "glob://", "compress.zlib://",
        "compress.bzip2://", "ogg://", "rar://", "ssh2.", "zlib:", "jar:", "netdoc:",
    ];

    private static readonly NeedleSet WrappersSet = Text.Set(Wrappers);

    // PHP filter-chain names (php://filter/convert.iconv.UTF8.CSISO2022KR|…): as a fragment they are the chain itself.
    private static readonly NeedleSet FilterChainSet = Text.Set(["convert.iconv.", "convert.base64-", "convert.quoted-printable-", "string.rot13"]);

    // The alphabets of base64 and base64url, with padding.
    private static readonly ValueChars Base64Chars = ValueChars.Of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=");

    public void Scan(string value, in ValueChars chars, FindingSet findings)
    {
        ScanText(value, chars, findings);
        if (chars.OnlyFrom(Base64Chars) && Base64Text.DecodePrintable(value) is { } decoded)
        {
            // A file parameter the application base64-decodes ("L2V0Yy9wYXNzd2Q=" is /etc/passwd): read the
            // text as the application will. One level only; the decoded text gets the same checks as any value.
            ScanText(decoded, ValueChars.Of(decoded), findings);
        }
    }

    private static void ScanText(string value, in ValueChars chars, FindingSet findings)
    {
        var raw = value.AsSpan();
        if (!chars.HasAny(Trigger))
        {
            // "0x2e0x2e0x2fetc0x2fpasswd" and base64 of "../../" carry no separator of their own.
            if ((chars.Has('x', 'X') && (HexSpelledSeparators(raw) >= 2 || Text.Has(raw, "0x2e0x2e"))) || (chars.Has('4') && raw.Contains("Li4vLi4v", StringComparison.Ordinal)))
            {
                findings.Add(DotDotRepeated);
            }

            return;
        }

        // One separator for matching: "..\" and "../" are the same traversal on Windows.
        var s = chars.Has('\\') ? value.Replace('\\', '/').AsSpan() : raw;
        var dots = CountDotDot(s);
        if (dots == 1)
        {
            findings.Add(DotDot);
        }
        else if (dots > 1)
        {
            findings.Add(DotDotRepeated);
        }

        // The spelled-out separators need an 'x' or a '%'; system roots a '/', '\\', ':' or '%'.
        if ((chars.Has('x', 'X') && (HexSpelledSeparators(s) >= 2 || Text.Has(s, "0x2e0x2e")))
            || (chars.Has('%') && (Text.Has(s, "%2e%2e") || Text.Has(s, "..%c0") || Text.Has(s, "..%u"))))
        {
            findings.Add(DotDotRepeated);
        }

        // "..2f..2f" is "../../" whose '%' a filter stripped; base64 "Li4vLi4v" is "../../" encoded.
        if (PercentLostSeparators(s) >= 2 || (chars.Has('4') && raw.Contains("Li4vLi4v", StringComparison.Ordinal)))
        {
            findings.Add(DotDotRepeated);
        }

        if (Text.HasAny(s, SensitiveFilesSet) || (Text.Has(s, "/sys/") && HasSysfsDirectory(s)))
        {
            findings.Add(SensitiveFile);
        }

        if (chars.HasAny(RootChars) && Text.HasAny(s, SystemRootsSet) && StartsWithOrAfterSeparator(s, SystemRoots) && !IsUserDocument(s))
        {
            findings.Add(SystemPath);
        }

        if ((Text.HasAny(s, WrappersSet) && WrapperFollowedByPath(s)) || (chars.Has('.') && HasFilterChainName(s)))
        {
            findings.Add(Wrapper);
        }
    }

    private static bool HasSysfsDirectory(ReadOnlySpan<char> s)
    {
        foreach (var dir in Sysfs)
        {
            for (var at = Text.IndexOf(s, dir, 0); at >= 0; at = Text.IndexOf(s, dir, at + 1))
            {
                var end = at + dir.Length;
                if (end == s.Length || (!char.IsAsciiLetterOrDigit(s[end]) && s[end] is not '_' and not '-'))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A user's own file on a Windows drive (<c>C:\Users\alice\Documents\report.docx</c>), as
    /// upload and sync APIs carry: the drive is the only system root in it, and the profile is not
    /// one of the built-in accounts attackers read from.
    /// </summary>
    private static bool IsUserDocument(ReadOnlySpan<char> s)
    {
        var t = s.Trim();
        if (t.Length >= 6 && char.IsAsciiLetter(t[0]) && t[1] == ':' && t[2] == '/' && !Text.Has(t, "..") && StartsWithUserFolder(t[3..]))
        {
            // "D:\Projects\app\main.cs": the drive is the only system root in it, and the folder holds a user's work.
            return !Text.HasAny(t[3..], SystemRootsSet);
        }

        if (t.Length < 10 || !char.IsAsciiLetter(t[0]) || t[1] != ':' || t[2] != '/' || !t[3..].StartsWith("users/", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var profile = t[9..];
        return !(profile.StartsWith("administrator", StringComparison.OrdinalIgnoreCase) || profile.StartsWith("default", StringComparison.OrdinalIgnoreCase)
            || profile.StartsWith("public", StringComparison.OrdinalIgnoreCase) || profile.StartsWith("all users", StringComparison.OrdinalIgnoreCase))
            && !Text.Has(profile, "..") && !Text.Has(profile, "/appdata/") && !Text.Has(profile, "ntuser");
    }

    private static bool StartsWithUserFolder(ReadOnlySpan<char> rest)
    {
        foreach (var folder in (ReadOnlySpan<string>)["projects/", "documents/", "downloads/", "desktop/", "pictures/", "photos/", "music/", "videos/", "onedrive/", "dropbox/", "src/", "source/", "repos/", "code/", "dev/", "work/"])
        {
            if (rest.StartsWith(folder, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A PHP filter name of a filter chain, followed by what it converts (<c>convert.iconv.IBM273.ES</c>), not prose about it.</summary>
    private static bool HasFilterChainName(ReadOnlySpan<char> s)
    {
        if (!Text.HasAny(s, FilterChainSet))
        {
            return false;
        }

        foreach (var name in (ReadOnlySpan<string>)["convert.iconv.", "convert.base64-", "convert.quoted-printable-", "string.rot13"])
        {
            var at = s.IndexOf(name, StringComparison.OrdinalIgnoreCase);
            var end = at + name.Length;
            if (at >= 0 && (at == 0 || !char.IsAsciiLetterOrDigit(s[at - 1])) && (end == s.Length || char.IsAsciiLetterOrDigit(s[end]) || s[end] is '|' or '/'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"..2f" and "..5c": a dot-dot whose separator is a percent-escape with its '%' stripped.</summary>
    private static int PercentLostSeparators(ReadOnlySpan<char> s)
    {
        var count = 0;
        for (var i = s.IndexOf(".."); i >= 0 && i + 3 < s.Length; i = NextDotDot(s, i + 2))
        {
            if ((s[i + 2] == '2' && (s[i + 3] | 0x20) == 'f') || (s[i + 2] == '5' && (s[i + 3] | 0x20) == 'c'))
            {
                count++;
            }
        }

        return count;
    }

    private static int NextDotDot(ReadOnlySpan<char> s, int from)
    {
        var i = s[from..].IndexOf("..");
        return i < 0 ? -1 : from + i;
    }

    /// <summary>'/', '\\' and '.' spelled as C hex literals ("..0x2fetc0x2fpasswd").</summary>
    /// <remarks>Counted within one run without white space, as a path is: code and prose that name the constants (<c>mask = 0x2f | 0x2e</c>) are not a path.</remarks>
    private static int HexSpelledSeparators(ReadOnlySpan<char> s)
    {
        var count = 0;
        var max = 0;
        for (var i = s.IndexOf("0x", StringComparison.OrdinalIgnoreCase); i >= 0 && i + 3 < s.Length; i++)
        {
            if (char.IsWhiteSpace(s[i]))
            {
                count = 0;
            }
            else if (s[i] == '0' && (s[i + 1] | 0x20) == 'x' && ((s[i + 2] == '2' && (s[i + 3] | 0x20) is 'f' or 'e') || (s[i + 2] == '5' && (s[i + 3] | 0x20) == 'c')))
            {
                max = Math.Max(max, ++count);
            }
        }

        return max;
    }

    private static int CountDotDot(ReadOnlySpan<char> s)
    {
        var count = 0;
        for (var i = 0; i + 1 < s.Length; i++)
        {
            if (s[i] != '.' || s[i + 1] != '.')
            {
                continue;
            }

            // "../", "/..", "..;/" (Tomcat), "..%00": a segment that is only dots.
            var before = i == 0 || s[i - 1] is '/' or '.';
            var j = i + 2;
            while (j < s.Length && s[j] == '.')
            {
                j++;
            }

            var after = j == s.Length || s[j] is '/' or ';' or '\0' or '?' or '#' or '%';
            if ((before && after) || (after && j < s.Length && s[j] == '/') || (before && i > 0 && j < s.Length && s[j] == '/'))
            {
                count++;
            }

            i = j - 1;
        }

        return count;
    }

    private static bool StartsWithOrAfterSeparator(ReadOnlySpan<char> s, string[] roots)
    {
        foreach (var root in roots)
        {
            var at = s.IndexOf(root, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                continue;
            }

            // The root must start the value or follow a separator or quote, and something must follow it.
            var startOk = at == 0 || s[at - 1] is '/' or '.' or ' ' or '=' or '\'' or '"' or ';' or '|' or '&' or '\0' or '(' || (root[0] != '/' && !char.IsAsciiLetter(s[at - 1]));
            if (startOk && at + root.Length < s.Length && s[at + root.Length] != ' ')
            {
                return true;
            }
        }

        return false;
    }

    private static bool WrapperFollowedByPath(ReadOnlySpan<char> s)
    {
        foreach (var w in Wrappers)
        {
            var at = s.IndexOf(w, StringComparison.OrdinalIgnoreCase);
            if (at < 0 || (at > 0 && char.IsAsciiLetterOrDigit(s[at - 1])))
            {
                continue;
            }

            var rest = s[(at + w.Length)..];
            if (rest.Length > 0 && (rest[0] == '/' || char.IsAsciiLetter(rest[0])))
            {
                return true;
            }
        }

        return false;
    }
}
