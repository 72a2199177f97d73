namespace Analytics.Sidecar.Inspection.Detectors;

/// <summary>
/// OS command injection: a shell separator (<c>; | &amp; &amp;&amp; || `</c>, <c>$( )</c>, newline)
/// followed by a command name, command substitution, <c>$IFS</c> tricks, Shellshock function
/// definitions and server-side includes. Ambiguous English words ("more", "type") only count
/// with a shell-looking argument.
/// </summary>
internal sealed class CommandInjectionDetector : IDetector
{
    public static readonly Rule ChainedCommand = new("cmdi-chained-command", Categories.CommandInjection, 5, "a shell separator followed by a command");
    public static readonly Rule Substitution = new("cmdi-substitution", Categories.CommandInjection, 5, "command substitution or $IFS");
    public static readonly Rule Shellshock = new("cmdi-shellshock", Categories.CommandInjection, 5, "a Shellshock function definition");
    public static readonly Rule ServerSideInclude = new("cmdi-ssi", Categories.CommandInjection, 5, "a server-side include directive");
    public static readonly Rule BareCommand = new("cmdi-bare-command", Categories.CommandInjection, 3, "a command with shell-looking arguments");
    public static readonly Rule Redirection = new("cmdi-redirection", Categories.CommandInjection, 3, "shell output redirection");

    private static readonly string[] Strong =
    [
        "ls", "id", "cat", "whoami", "uname", "wget", "curl", "nc", "ncat", "netcat", "bash", "sh", "zsh", "ksh",
        "csh", "tcsh", "ping", "sleep", "echo", "ps", "pwd", "ipconfig", "ifconfig", "perl", "python",
        "python2", "python3", "php", "ruby", "nslookup", "powershell", "pwsh", "cmd", "rm", "chmod", "chown",
        "tftp", "telnet", "systeminfo", "tasklist", "taskkill", "uptime", "hostname", "passwd", "useradd", "sudo",
        "xterm", "nohup", "base64", "awk", "gawk", "sed", "xargs", "dir", "gcc", "busybox", "certutil", "bitsadmin",
        "wmic", "netstat", "nmap", "socat", "scp", "ssh", "ftp", "traceroute", "tracert", "cmd.exe",
        "powershell.exe", "sysinfo", "killall", "pkill", "crontab", "mkfifo", "mknod", "openssl",
        "nohup", "vim", "nano", "xxd", "ls-la", "reboot", "shutdown",
        "ifup", "getent", "lsof", "unzip", "gzip", "dd",
        "whoami.exe", "regedit", "schtasks", "icacls", "cacls", "ipconfig.exe",
    ];

    private static readonly string[] Weak =
    [
        "type", "set", "more", "less", "find", "host", "who", "w", "kill", "head", "tail", "env", "start",
        "copy", "del", "cd", "mkdir", "touch", "grep", "date", "time", "print", "expr", "printf", "exec",
        "eval", "export", "at", "last", "route", "groups", "net", "ver", "zip", "tar", "dd", "vi", "sc", "reg", "strings", "halt", "java", "node", "lua", "dig", "dash", "od", "wc", "arp", "runas", "attrib", "sort", "uniq", "cut", "tr", "file", "which", "whereis", "locate", "history", "su",
        "mv", "cp", "ln", "chgrp", "umask", "ulimit", "exit", "return", "sys", "system",
    ];

    public void Scan(string value, FindingSet findings)
    {
        var s = value.AsSpan();
        if (s.Contains("!--#", StringComparison.Ordinal) || Text.Has(s, "#exec cmd") || Text.Has(s, "#include virtual") || Text.Has(s, "#include file"))
        {
            findings.Add(ServerSideInclude);
        }

        if (s.Contains("() {", StringComparison.Ordinal) || s.Contains("(){", StringComparison.Ordinal))
        {
            findings.Add(Shellshock);
        }

        if (Text.Has(s, "$ifs") || Text.Has(s, "${ifs") || Text.Has(s, "${path:") || Text.Has(s, "%comspec%"))
        {
            findings.Add(Substitution);
        }

        var sub = s.IndexOf("$(", StringComparison.Ordinal);
        if (sub >= 0 && CommandStrength(s, sub + 2, allowWeak: true) > 0)
        {
            findings.Add(Substitution);
        }

        var tick = s.IndexOf('`');
        if (tick >= 0 && s[(tick + 1)..].Contains('`') && CommandStrength(s, tick + 1, allowWeak: true) > 0)
        {
            findings.Add(Substitution);
        }

        if (s.IndexOfAny(";|&\n\r") >= 0)
        {
            var body = findings.Current.IsBody;
            for (var i = 0; i < s.Length; i++)
            {
                var c = s[i];
                if (c is not (';' or '|' or '&' or '\n' or '\r'))
                {
                    continue;
                }

                var j = i + 1;
                while (j < s.Length && s[j] is '|' or '&' or ';' or '\n' or '\r')
                {
                    j++;
                }

                var strength = CommandStrength(s, j, allowWeak: true);
                if (strength == 2 && !(body && c is '\n' or '\r'))
                {
                    findings.Add(ChainedCommand);
                    break;
                }

                if (strength > 0)
                {
                    findings.Add(BareCommand);
                }

                i = j - 1;
            }
        }

        if (CommandStrength(s, 0, allowWeak: false) == 2)
        {
            findings.Add(BareCommand);
        }

        if (s.Contains(">/dev/", StringComparison.Ordinal) || s.Contains("> /dev/", StringComparison.Ordinal) || s.Contains("2>&1", StringComparison.Ordinal)
            || s.Contains(">/tmp/", StringComparison.Ordinal) || s.Contains("> /tmp/", StringComparison.Ordinal))
        {
            findings.Add(Redirection);
        }
    }

    /// <summary>
    /// 2: a command that is certainly shell (a strong name, or a weak one with a shell-looking
    /// argument, or a path to a binary); 1: a weak name alone; 0: none.
    /// </summary>
    private static int CommandStrength(ReadOnlySpan<char> s, int start, bool allowWeak)
    {
        var i = start;
        while (i < s.Length && (s[i] is ' ' or '\t' or '\'' or '"' or '(' or '{' || s[i] == '\0'))
        {
            i++;
        }

        if (i >= s.Length)
        {
            return 0;
        }

        // Absolute paths to binaries: /bin/ls, /usr/bin/id, C:\Windows\System32\cmd.exe
        var rest = s[i..];
        if (rest.StartsWith("/bin/", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("/usr/bin/", StringComparison.OrdinalIgnoreCase)
            || rest.StartsWith("/sbin/", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("/usr/sbin/", StringComparison.OrdinalIgnoreCase)
            || rest.StartsWith("/usr/local/bin/", StringComparison.OrdinalIgnoreCase))
        {
            return 2;
        }

        var end = i;
        while (end < s.Length && (char.IsAsciiLetterOrDigit(s[end]) || s[end] is '.' or '_' or '-'))
        {
            end++;
        }

        var word = s[i..end];
        if (word.Length == 0)
        {
            return 0;
        }

        var afterWord = end == s.Length ? '\0' : s[end];
        // A command word ends at whitespace, a separator or the end; "idea" is not "id".
        if (!(afterWord is '\0' or ' ' or '\t' or ';' or '|' or '&' or '\n' or '\r' or '`' or ')' or '$' or '<' or '>' or '\'' or '"' or '#' or '{' or ','))
        {
            return 0;
        }

        foreach (var cmd in Strong)
        {
            if (word.Equals(cmd, StringComparison.OrdinalIgnoreCase))
            {
                // "sh" or "id" alone in text is common; with an argument, redirection or nothing at all after a separator it is shell.
                return 2;
            }
        }

        if (!allowWeak)
        {
            return 0;
        }

        foreach (var cmd in Weak)
        {
            if (word.Equals(cmd, StringComparison.OrdinalIgnoreCase))
            {
                var k = end;
                while (k < s.Length && s[k] == ' ')
                {
                    k++;
                }

                if (k < s.Length && (s[k] is '-' or '/' or '\\' or '.' or '$' or '~' or '%' or '>' or '<' || (k + 1 < s.Length && char.IsAsciiLetter(s[k]) && s[k + 1] == ':')))
                {
                    return 2;
                }

                return 1;
            }
        }

        return 0;
    }
}
