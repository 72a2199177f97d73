using System.Buffers;
using System.Collections.Frozen;

namespace Analytics.Inspection.Detectors;

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
    public static readonly Rule CodeExecution = new("cmdi-code-execution", Categories.CommandInjection, 5, "a call of a code or process execution function");
    public static readonly Rule BinaryPath = new("cmdi-binary-path", Categories.CommandInjection, 5, "a path to a shell binary");
    public static readonly Rule WindowsForLoop = new("cmdi-windows-for-loop", Categories.CommandInjection, 5, "a cmd.exe FOR loop (for %v in (…) do …)");
    public static readonly Rule Redirection = new("cmdi-redirection", Categories.CommandInjection, 3, "shell output redirection");

    private static readonly string[] Strong =
    [
        "net", "netsh", "phpinfo", "ls", "id", "cat", "whoami", "uname", "wget", "curl", "nc", "ncat", "netcat", "bash", "sh", "zsh", "ksh",
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
        "eval", "export", "at", "last", "route", "groups", "ver", "zip", "tar", "dd", "vi", "sc", "reg", "strings", "halt", "java", "node", "lua", "dig", "dash", "od", "wc", "arp", "runas", "attrib", "sort", "uniq", "cut", "tr", "file", "which", "whereis", "locate", "history", "su",
        "mv", "cp", "ln", "chgrp", "umask", "ulimit", "exit", "return", "sys", "system", "format",
    ];

    // One case-insensitive hash lookup per command word instead of a scan of both lists.
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> StrongSet = Lookup(Strong);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> WeakSet = Lookup(Weak);

    // Every execution marker contains one of these; most values contain none and skip the list.
    private static readonly ValueChars ExecTrigger = ValueChars.Of("(<$._");

    private static readonly ValueChars Separators = ValueChars.Of(";|&\n\r");

    private static readonly SearchValues<char> AsciiLettersAndDigits = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    private static readonly string[] ExecFunctions =
    [
        "system(", "exec(", "passthru(", "shell_exec(", "popen(", "proc_open(", "pcntl_exec(", "phpinfo(", "assert(",
        "runtime.getruntime", "os.system", "os.popen", "subprocess.", "child_process", "<?php", "<?=",
        "$_get[", "$_post[", "$_request[", "$_server[", "$_cookie[", "eval(base64", "create_function(", "call_user_func",
        "preg_replace(", "require(", "include(", "require_once(", "include_once(", "file_get_contents(", "fsockopen(",
    ];

    private static readonly NeedleSet ExecFunctionsSet = Text.Set(ExecFunctions);

    /// <summary>Command names that are not words in any language: alone, they are a probe.</summary>
    private static readonly string[] Unambiguous =
    [
        "whoami", "ifconfig", "ipconfig", "netstat", "systeminfo", "tasklist", "uname", "phpinfo", "nslookup", "getent",
        "cmd.exe", "powershell", "busybox", "certutil", "bitsadmin", "wmic", "netsh",
    ];

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> UnambiguousSet = Lookup(Unambiguous);

    /// <summary>Commands that are no word in prose, for a wrapper command's argument (<see cref="IsCommandPrefix"/>).</summary>
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ToolSet = Lookup(
        [.. Unambiguous, "tracert", "traceroute", "wget", "curl", "netcat", "ncat", "socat", "nmap", "bash", "zsh", "ksh", "tcsh", "telnet", "tftp",
         "xxd", "openssl", "crontab", "mkfifo", "lsof", "pwsh"]);

    private static bool IsCommandPrefix(ReadOnlySpan<char> word)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["time", "nohup", "nice", "strace", "ltrace", "watch", "sudo", "exec", "xargs", "env", "start", "call"])
        {
            if (word.Equals(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A name that is one of the commands that are no word (<c>ipconfig</c>, <c>whoami</c>): as a cookie name it is a
    /// probe. <c>uname</c> is left out there: as a name it is as likely a user-name field.
    /// </summary>
    public static bool IsProbeCommandName(ReadOnlySpan<char> name) =>
        name.Length is >= 4 and <= 12 && UnambiguousSet.Contains(name) && !name.Equals("uname", StringComparison.OrdinalIgnoreCase);

    public void Scan(string value, in ValueChars valueChars, FindingSet findings)
    {
        var chars = valueChars;
        value = Text.TabsAsSpaces(value, ref chars);

        var s = value.AsSpan();
        // Each check below first asks whether the value has a character its markers need; most values have none.
        if (chars.HasAny(ExecTrigger) && Text.HasAny(s, ExecFunctionsSet))
        {
            findings.Add(CodeExecution);
        }

        if (chars.Has('%') && chars.Has('(') && Detectors.WindowsForLoop.IsIn(s))
        {
            findings.Add(WindowsForLoop);
        }

        if (chars.Has('/', '\\') && HasBinaryPath(s))
        {
            findings.Add(BinaryPath);
        }

        if (StartsWithUnambiguous(s.Trim(), chars.HasNonAscii))
        {
            findings.Add(ChainedCommand);
        }

        if (chars.Has('#') && (s.Contains("!--#", StringComparison.Ordinal) || Text.Has(s, "#exec cmd") || Text.Has(s, "#include virtual") || Text.Has(s, "#include file")))
        {
            findings.Add(ServerSideInclude);
        }

        if (chars.Has('(') && (s.Contains("() {", StringComparison.Ordinal) || s.Contains("(){", StringComparison.Ordinal)))
        {
            findings.Add(Shellshock);
        }

        if (chars.Has('$', '%') && (Text.Has(s, "$ifs") || Text.Has(s, "${ifs") || Text.Has(s, "${path:") || Text.Has(s, "%comspec%")))
        {
            findings.Add(Substitution);
        }

        var sub = chars.Has('$') ? s.IndexOf("$(", StringComparison.Ordinal) : -1;
        if (sub >= 0 && CommandStrength(s, sub + 2, allowWeak: true) > 0)
        {
            findings.Add(Substitution);
        }

        if (chars.Has('(') && chars.Has('<', '>') && HasProcessSubstitution(s))
        {
            findings.Add(Substitution);
        }

        var tick = chars.Has('`') ? s.IndexOf('`') : -1;
        if (tick >= 0 && s[(tick + 1)..].Contains('`') && CommandStrength(s, tick + 1, allowWeak: true) > 0)
        {
            findings.Add(Substitution);
        }

        if (chars.HasAny(Separators))
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

                if (strength == 2 || (strength == 1 && c is not ('\n' or '\r')))
                {
                    // A line that starts with "return", "print" or "set" is text or code; after ';' or '|' it is shell-like.
                    findings.Add(BareCommand);
                }

                i = j - 1;
            }
        }

        var whole = s.Trim();
        if (CommandStrength(whole, 0, allowWeak: false) == 2)
        {
            if (whole.IndexOfAny(' ', '+', '\t') > 0)
            {
                // A command word alone ("id", a parameter named id) is not shell; one with arguments may be.
                findings.Add(HasShellArgument(whole) || IsCommandLine(whole) ? ChainedCommand : BareCommand);
            }
            else if (EndsWithSeparatorsOnly(whole))
            {
                // "id;", "ls|": a command terminated for the next one the application appends.
                findings.Add(ChainedCommand);
            }
        }
        else if (IsCommandLine(whole))
        {
            findings.Add(ChainedCommand);
        }

        if (chars.Has('\\') && HasEscapedLineCommand(s))
        {
            findings.Add(ChainedCommand);
        }

        if (chars.Has('>') && (s.Contains(">/dev/", StringComparison.Ordinal) || s.Contains("> /dev/", StringComparison.Ordinal) || s.Contains("2>&1", StringComparison.Ordinal)
            || s.Contains(">/tmp/", StringComparison.Ordinal) || s.Contains("> /tmp/", StringComparison.Ordinal)))
        {
            findings.Add(Redirection);
        }
    }

    /// <summary>
    /// The value starts with an unambiguous command name not followed by a letter or digit. For the
    /// alphanumeric names that is the value's leading run of letters and digits; "cmd.exe" is the other.
    /// </summary>
    private static bool StartsWithUnambiguous(ReadOnlySpan<char> trimmed, bool nonAscii)
    {
        if (nonAscii)
        {
            // Case-insensitive prefix matching of non-ASCII text is the framework's business: ask it directly.
            foreach (var u in Unambiguous)
            {
                if (trimmed.StartsWith(u, StringComparison.OrdinalIgnoreCase) && (trimmed.Length == u.Length || !char.IsAsciiLetterOrDigit(trimmed[u.Length])))
                {
                    return true;
                }
            }

            return false;
        }

        var end = trimmed.IndexOfAnyExcept(AsciiLettersAndDigits);
        var word = end < 0 ? trimmed : trimmed[..end];
        if (UnambiguousSet.Contains(word))
        {
            return true;
        }

        const string CmdExe = "cmd.exe";
        return trimmed.StartsWith(CmdExe, StringComparison.OrdinalIgnoreCase) && (trimmed.Length == CmdExe.Length || !char.IsAsciiLetterOrDigit(trimmed[CmdExe.Length]));
    }

    private static FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup(string[] words) =>
        words.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    private static bool HasBinaryPath(ReadOnlySpan<char> s)
    {
        // Every directory below contains "bin/" or "system32": two scans rule all seven out.
        if (!Text.Has(s, "bin/") && !Text.Has(s, "system32"))
        {
            return false;
        }

        foreach (var dir in (ReadOnlySpan<string>)["/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/", "/usr/local/bin/", "system32/cmd", "system32\\cmd"])
        {
            var at = s.IndexOf(dir, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && at + dir.Length < s.Length && char.IsAsciiLetter(s[at + dir.Length]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A command at the start of the value followed by an option, a path, a URL or a substitution.</summary>
    private static bool HasShellArgument(ReadOnlySpan<char> s)
    {
        var t = s.TrimStart();
        var space = t.IndexOfAny(' ', '+', '\t');
        if (space < 0)
        {
            return false;
        }

        var arg = t[(space + 1)..].TrimStart(" +\t");
        return arg.Length > 0 && (arg[0] is '-' or '/' or '$' or '`' or '~' or '\\' or '|' or '>' || arg.StartsWith("http", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// 2: a command that is certainly shell (a strong name, or a weak one with a shell-looking
    /// argument, or a path to a binary); 1: a weak name alone; 0: none.
    /// </summary>
    private static int CommandStrength(ReadOnlySpan<char> s, int start, bool allowWeak)
    {
        var i = start;
        while (i < s.Length && (s[i] is ' ' or '\t' or '\'' or '"' or '(' or '{' or '+' || s[i] == '\0'))
        {
            i++;
        }

        if (i >= s.Length)
        {
            return 0;
        }

        // Absolute paths to binaries: /bin/ls, /usr/bin/id, C:\Windows\System32\cmd.exe
        var rest = s[i..];
        if (rest[0] == '/' && (rest.StartsWith("/bin/", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("/usr/bin/", StringComparison.OrdinalIgnoreCase)
            || rest.StartsWith("/sbin/", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("/usr/sbin/", StringComparison.OrdinalIgnoreCase)
            || rest.StartsWith("/usr/local/bin/", StringComparison.OrdinalIgnoreCase)))
        {
            return 2;
        }

        var end = i;
        while (end < s.Length && (char.IsAsciiLetterOrDigit(s[end]) || s[end] is '.' or '_' or '-'))
        {
            end++;
        }

        var word = WithoutExecutableSuffix(s[i..end]);
        if (word.Length == 0)
        {
            return 0;
        }

        var afterWord = end == s.Length ? '\0' : s[end];
        if (afterWord == '/' && word.Length >= 2 && IsGluedSwitch(s, end) && (StrongSet.Contains(word) || (allowWeak && WeakSet.Contains(word))))
        {
            // cmd.exe ends a command name at '/': "sort/r x", "dir/s", "set/p v=" are the command with its switch.
            // One-letter words are left out ("; w/o sugar").
            return 2;
        }

        // A command word ends at whitespace, a separator or the end; "idea" is not "id". A '+' is the
        // space of a form encoding applied once more, and "\n" the line break of an escaped string.
        if (!(afterWord is '\0' or ' ' or '\t' or ';' or '|' or '&' or '\n' or '\r' or '`' or ')' or '$' or '<' or '>' or '\'' or '"' or '#' or '{' or ',' or '+'
            || (afterWord == '\\' && end + 1 < s.Length && s[end + 1] is 'n' or 'r' or 't')))
        {
            return 0;
        }

        if (StrongSet.Contains(word))
        {
            // "sh" or "id" alone in text is common; with an argument, redirection or nothing at all after a separator it is shell.
            return 2;
        }

        if (!allowWeak)
        {
            return 0;
        }

        if (WeakSet.Contains(word))
        {
            var k = end;
            while (k < s.Length && s[k] is ' ' or '+')
            {
                k++;
            }

            if (k < s.Length && (s[k] is '-' or '/' or '\\' or '.' or '$' or '~' or '%' or '>' or '<' || (k + 1 < s.Length && char.IsAsciiLetter(s[k]) && s[k + 1] == ':')))
            {
                return 2;
            }

            if (k > end && k < s.Length && CommandStrength(s, k, allowWeak: false) == 2)
            {
                // "which wget", "type cat": a weak command whose argument is a strong one.
                return 2;
            }

            return 1;
        }

        return 0;
    }

    /// <summary>A '/' and one letter (or '?') that end the word: a cmd.exe switch, not a path ("sort/r x", not "cat/dogs").</summary>
    private static bool IsGluedSwitch(ReadOnlySpan<char> s, int slash) =>
        slash + 1 < s.Length && (char.IsAsciiLetter(s[slash + 1]) || s[slash + 1] == '?') && (slash + 2 == s.Length || s[slash + 2] is ' ' or '+' or ':');

    /// <summary>
    /// Bash process substitution, <c>&lt;(cmd)</c> or <c>&gt;(cmd)</c>: a file name the shell fills with a command's
    /// output or feeds to its input. The command must be a certain one and closed by ')': "x&lt;(y+1)" and "&gt;(" as a
    /// frowning face are not.
    /// </summary>
    private static bool HasProcessSubstitution(ReadOnlySpan<char> s)
    {
        for (var i = s.IndexOf('('); i >= 0; i = Text.IndexOf(s, '(', i + 1))
        {
            if (i > 0 && s[i - 1] is '<' or '>' && s[(i + 1)..].Contains(')') && CommandStrength(s, i + 1, allowWeak: false) == 2)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"ping.exe" is "ping": Windows runs a command with or without its extension.</summary>
    private static ReadOnlySpan<char> WithoutExecutableSuffix(ReadOnlySpan<char> word)
    {
        if (word.Length > 4 && word[^4] == '.' && (word.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) || word.EndsWith(".com", StringComparison.OrdinalIgnoreCase)
            || word.EndsWith(".bat", StringComparison.OrdinalIgnoreCase)))
        {
            var stem = word[..^4];
            return StrongSet.Contains(stem) || WeakSet.Contains(stem) ? stem : word;
        }

        return word;
    }

    /// <summary>A strong command word followed by nothing but shell separators.</summary>
    private static bool EndsWithSeparatorsOnly(ReadOnlySpan<char> whole)
    {
        var end = whole.IndexOfAny(';', '|', '&');
        return end > 0 && whole[end..].IndexOfAnyExcept(";|&") < 0 && whole[..end].IndexOfAnyExcept(AsciiLettersAndDigits) < 0;
    }

    /// <summary>
    /// The whole value is a command line in its usual probe forms: a delay (<c>sleep 5</c>), a
    /// lookup of a command (<c>which perl</c>, <c>type nc</c>) or a Windows <c>net</c> subcommand.
    /// One more word of prose (<c>sleep 8 hours</c>, <c>which perl version</c>) and it is not.
    /// </summary>
    private static bool IsCommandLine(ReadOnlySpan<char> whole)
    {
        var space = whole.IndexOfAny(' ', '+');
        if (space <= 0 || whole.Length > 40)
        {
            return false;
        }

        var first = whole[..space];
        var arg = whole[(space + 1)..].Trim(" +");
        if (IsCommandPrefix(first))
        {
            // "time tracert", "nohup wget -q x": a wrapper that runs the next word as a command; only tools that are
            // no word count ("time cat" and "nice ping" are also prose).
            var tool = arg.IndexOfAny(' ', '+');
            return ToolSet.Contains(WithoutExecutableSuffix(tool < 0 ? arg : arg[..tool]));
        }

        if (arg.IsEmpty || arg.IndexOfAny(' ', '+') >= 0)
        {
            return false;
        }

        if (first.Equals("sleep", StringComparison.OrdinalIgnoreCase) || first.Equals("timeout", StringComparison.OrdinalIgnoreCase))
        {
            return arg.IndexOfAnyExceptInRange('0', '9') < 0;
        }

        if (first.Equals("net", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var sub in (ReadOnlySpan<string>)["view", "user", "localgroup", "group", "share", "session", "accounts", "config", "use"])
            {
                if (arg.Equals(sub, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var lookup in (ReadOnlySpan<string>)["which", "whereis", "type", "where", "command", "locate"])
        {
            if (first.Equals(lookup, StringComparison.OrdinalIgnoreCase))
            {
                return StrongSet.Contains(WithoutExecutableSuffix(arg));
            }
        }

        return false;
    }

    /// <summary>
    /// A command after the two characters "\n" or "\r": a payload written for a string that the
    /// application unescapes (<c>echo -e</c>, JSON-in-a-string). The command must have an argument,
    /// since a Windows path (<c>C:\net\x</c>) also has "\n" before a word.
    /// </summary>
    private static bool HasEscapedLineCommand(ReadOnlySpan<char> s)
    {
        for (var i = s.IndexOf('\\'); i >= 0 && i + 2 < s.Length; i = Next(s, i))
        {
            if (s[i + 1] is not ('n' or 'r'))
            {
                continue;
            }

            var start = i + 2;
            var end = start;
            while (end < s.Length && (char.IsAsciiLetterOrDigit(s[end]) || s[end] is '.' or '_' or '-'))
            {
                end++;
            }

            if (end > start && end < s.Length && s[end] == ' ' && end + 1 < s.Length && s[end + 1] is not (' ' or '\\') && StrongSet.Contains(WithoutExecutableSuffix(s[start..end])))
            {
                return true;
            }
        }

        return false;

        static int Next(ReadOnlySpan<char> s, int i)
        {
            var n = s[(i + 1)..].IndexOf('\\');
            return n < 0 ? -1 : i + 1 + n;
        }
    }
}
