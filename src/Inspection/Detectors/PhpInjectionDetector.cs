namespace Analytics.Inspection.Detectors;

/// <summary>
/// PHP injection (CRS 933): opening tags and their variants, calls of PHP's dangerous functions
/// (CRS's list, see <see cref="WordLists"/>), superglobals, and serialized PHP objects that
/// <c>unserialize()</c> would instantiate. Stream wrappers are the LFI detector's.
/// </summary>
internal sealed class PhpInjectionDetector : IDetector
{
    public static readonly Rule OpenTag = new("php-open-tag", Categories.Php, 5, "a PHP opening tag");
    public static readonly Rule FunctionCall = new("php-function-call", Categories.Php, 5, "a call of a dangerous PHP function");
    public static readonly Rule Superglobal = new("php-superglobal", Categories.Php, 5, "a PHP superglobal or input stream");
    public static readonly Rule SerializedObject = new("php-serialized-object", Categories.Php, 5, "a serialized PHP object");
    public static readonly Rule VariableFunction = new("php-variable-function", Categories.Php, 5, "a PHP variable function call ($f(…), ${…}(…), $_[0](…))");
    public static readonly Rule ComputedCall = new("php-computed-call", Categories.Php, 5, "a PHP call of a bracketed, quoted or assembled function name ((system)(…), 'pass'.'thru')");
    public static readonly Rule ConfigDirective = new("php-config-directive", Categories.Php, 4, "a PHP configuration directive", Paranoia: 2);
    public static readonly Rule DirectiveInjection = new("php-directive-injection", Categories.Php, 5, "a dangerous PHP directive set as the whole value or by a -d argument (allow_url_include=1, -d auto_prepend_file=…)");

    private static readonly NeedleSet Tags = Text.Set(["<?php", "<?=", "<? ", "<?\n", "<?\t", "[php]", "[/php]", "[\\php]", "{php}", "{/php}", "language=\"php\"", "language='php'", "language=php"]);

    private static readonly NeedleSet Superglobals = Text.Set(
        ["$_get", "$_post", "$_request", "$_server", "$_cookie", "$_files", "$_env", "$_session", "$globals", "php://input", "$http_raw_post_data", "$argv"]);

    private static readonly NeedleSet Directives = Text.Set(
        ["allow_url_include", "allow_url_fopen", "auto_prepend_file", "auto_append_file", "disable_functions", "open_basedir", "safe_mode", "register_globals",
         "disable_classes", "sendmail_path", "zend_extension", "extension_dir", "cgi.force_redirect", "cgi.redirect_status_env", "phar.readonly", "enable_dl", "user_ini.filename"]);

    private static readonly CodeCalls Calls = new(WordLists.PhpFunctions);

    private static readonly ValueChars Trigger = ValueChars.Of("<[($:_{");

    public void Scan(string value, in ValueChars chars, FindingSet findings)
    {
        if (!chars.HasAny(Trigger))
        {
            return;
        }

        var s = value.AsSpan();
        if ((chars.Has('<', '[') || chars.Has('{')) && Text.HasAny(s, Tags))
        {
            findings.Add(OpenTag);
        }

        if (chars.Has('(') && Calls.IsIn(s))
        {
            findings.Add(FunctionCall);
        }

        if (chars.Has('$') && chars.Has('(') && PhpDynamicCalls.HasVariableFunctionCall(s))
        {
            findings.Add(VariableFunction);
        }

        if (chars.Has('(') && (chars.Has(')', ']') || chars.Has('}') || chars.Has('\'', '"')) && PhpDynamicCalls.HasComputedCall(s))
        {
            findings.Add(ComputedCall);
        }
        else if (chars.Has('.') && (chars.Has('\'', '"') || (chars.Has('(') && Text.Has(s, "chr("))) && PhpDynamicCalls.HasAssembledName(s))
        {
            findings.Add(ComputedCall);
        }

        if ((chars.Has('$') || chars.Has(':')) && Text.HasAny(s, Superglobals))
        {
            findings.Add(Superglobal);
        }

        if (chars.Has(':') && chars.Has('{') && IsSerialized(s))
        {
            findings.Add(SerializedObject);
        }

        if (chars.Has('_') && Text.HasAny(s, Directives))
        {
            findings.Add(ConfigDirective);
            if (chars.Has('=') && PhpDirectives.IsInjected(s))
            {
                findings.Add(DirectiveInjection);
            }
        }
    }

    /// <summary><c>O:8:"stdClass":1:{</c>, <c>C:11:"ArrayObject":…</c> or <c>a:2:{i:0;</c>.</summary>
    private static bool IsSerialized(ReadOnlySpan<char> s)
    {
        for (var i = s.IndexOf(':'); i > 0 && i + 2 < s.Length; i = NextColon(s, i))
        {
            var kind = s[i - 1];
            if (i >= 2 && char.IsAsciiLetterOrDigit(s[i - 2]))
            {
                continue;
            }

            var j = i + 1;
            while (j < s.Length && char.IsAsciiDigit(s[j]))
            {
                j++;
            }

            if (j == i + 1 || j + 1 >= s.Length || s[j] != ':')
            {
                continue;
            }

            if ((kind is 'O' or 'C' && s[j + 1] == '"') || (kind == 'a' && s[j + 1] == '{' && j + 3 < s.Length && s[j + 2] is 'i' or 's' && s[j + 3] == ':'))
            {
                return true;
            }
        }

        return false;
    }

    private static int NextColon(ReadOnlySpan<char> s, int i)
    {
        var n = s[(i + 1)..].IndexOf(':');
        return n < 0 ? -1 : i + 1 + n;
    }
}
