namespace Analytics.Inspection.Detectors;

/// <summary>
/// Generic code injection (CRS 934): Node.js (<c>require('child_process')</c>, node-serialize's
/// <c>_$$ND_FUNC$$_</c>, <c>process.mainModule</c>), JavaScript <c>eval</c> / <c>Function</c> /
/// <c>constructor.constructor</c>, prototype pollution (<c>__proto__</c>,
/// <c>constructor.prototype</c>, in keys as well as values), and the Ruby, Perl and Python
/// idioms that run code or commands (<c>__import__('os')</c>, <c>Kernel.exec</c>, <c>%x(</c>,
/// <c>IO.popen</c>, <c>qx{</c>, Python's dunder walk to <c>__subclasses__</c>).
/// </summary>
internal sealed class GenericInjectionDetector : IDetector
{
    public static readonly Rule NodeJs = new("generic-nodejs", Categories.Generic, 5, "Node.js code that reaches processes, modules or deserialization");
    public static readonly Rule NodeGlobals = new("generic-nodejs-globals", Categories.Generic, 5, "Node.js globals read or written (process.env, module.exports, console.*)", Paranoia: 2);
    public static readonly Rule JsFuck = new("generic-jsfuck", Categories.Generic, 5, "JavaScript written in []()!+ alone (JSFuck)");
    public static readonly Rule JsObfuscatedAccess = new("xss-js-obfuscated-access", Categories.Xss, 5, "a browser global's member reached through a comment, parentheses or an escaped name (document/*x*/.cookie)");
    public static readonly Rule JsEval = new("generic-js-eval", Categories.Generic, 5, "JavaScript eval, Function or constructor.constructor with code");
    public static readonly Rule PrototypePollution = new("generic-prototype-pollution", Categories.Generic, 5, "prototype pollution (__proto__, constructor.prototype)");
    public static readonly Rule Ruby = new("generic-ruby", Categories.Generic, 5, "Ruby code that runs commands or code");
    public static readonly Rule Perl = new("generic-perl", Categories.Generic, 5, "Perl code that runs commands or code");
    public static readonly Rule Python = new("generic-python", Categories.Generic, 5, "Python code that imports modules or walks to internals");

    private static readonly string[] NodeMarkersList =
        ["child_process", "_$$nd_func$$_", "process.mainmodule", "process.binding", "process.kill", "global.process",
         "require('fs')", "require(\"fs\")", "require('net')", "require(\"net\")", "require('vm')", "require(\"vm\")",
         "module.constructor", "module.require", ".spawnsync(", ".execsync(", "execfile(", "this.constructor", "vm.runin",
         // Bracket access on Node's globals, funcster's serialized-function marker, node-serialize's marker in base64 (three alignments).
         "process[", "require[", "global[", "globalthis[", "console[", "__js_function"];

    // node-serialize's "_$$ND_FUNC$$_" in base64, at each of the three alignments.
    private static readonly System.Buffers.SearchValues<string> NodeBase64 =
        System.Buffers.SearchValues.Create(["XyQkTkRfRlVOQyQk", "8kJE5EX0ZVTkMkJF", "JCRORF9GVU5DJCRf"], StringComparison.Ordinal);

    private static readonly NeedleSet NodeMarkers = Text.Set(NodeMarkersList);

    // Code, but also what a developer pastes into a support ticket: paranoia level 2.
    private static readonly string[] NodeGlobalMarkersList = ["process.env", "module.exports", "console.log(", "console.info(", "console.error(", "console.warn(", "console.dir("];

    private static readonly NeedleSet NodeGlobalMarkers = Text.Set(NodeGlobalMarkersList);

    private static readonly string[] EvalMarkersList =
        ["constructor.constructor", "constructor[", "[\"constructor\"]", "['constructor']", "new function(", "function(\"", "function('", "function(`",
         "settimeout(\"", "settimeout('", "setinterval(\"", "setinterval('", "eval(", "eval (", "eval`", "fromcharcode("];

    private static readonly NeedleSet EvalMarkers = Text.Set(EvalMarkersList);

    private static readonly string[] ProtoMarkersList =
        ["__proto__", "constructor.prototype", "constructor[prototype]", "[constructor][prototype]", "constructor][prototype", "prototype.constructor"];

    private static readonly NeedleSet ProtoMarkers = Text.Set(ProtoMarkersList);

    private static readonly string[] RubyMarkersList =
        ["kernel.exec", "kernel.system", "kernel.spawn", "kernel.open", "kernel.eval", "io.popen", "open3.", "%x(", "%x{", "%x[", "instance_eval", "class_eval",
         "module_eval", "send(:system", "send(:eval", "public_send(", ".constantize", "objectspace", "marshal.load", "yaml.load", "erb.new", "`.read", "syscall("];

    private static readonly NeedleSet RubyMarkers = Text.Set(RubyMarkersList);

    private static readonly string[] PerlMarkersList =
        ["qx{", "qx(", "qx/", "qx|", "eval{", "eval {", "use socket", "exec{", "system{", "perl -e", "$^o", "use posix"];

    private static readonly NeedleSet PerlMarkers = Text.Set(PerlMarkersList);

    private static readonly string[] PythonMarkersList =
        ["__import__", "__builtins__", "__globals__", "__subclasses__", "__mro__", "__bases__", "__getattribute__", "__init__.__globals",
         "os.system(", "os.popen(", "subprocess.", "pickle.loads", "cpickle", "exec(compile", "eval(compile", "import os", "import subprocess",
         "import socket", "importlib.", "pty.spawn", "socket.socket", "commands.getoutput", "os.execl", "getattr(__"];

    private static readonly NeedleSet PythonMarkers = Text.Set(PythonMarkersList);

    /// <summary>Every marker of every family: one pass over a value that has none (most values) instead of one per family.</summary>
    private static readonly NeedleSet AnyMarker = Text.Set([.. NodeMarkersList, .. NodeGlobalMarkersList, .. EvalMarkersList, .. ProtoMarkersList, .. RubyMarkersList, .. PerlMarkersList, .. PythonMarkersList]);

    private static readonly System.Buffers.SearchValues<char> JsFuckChars = System.Buffers.SearchValues.Create("[]()!+ ");

    private static readonly ValueChars Trigger = ValueChars.Of("_.([`%{$");

    public void Scan(string value, in ValueChars chars, FindingSet findings)
    {
        var s = value.AsSpan();
        if (HasNodeBase64(s, chars))
        {
            findings.Add(NodeJs);
        }

        if (!chars.HasAny(Trigger) && !chars.Has(' '))
        {
            return;
        }

        if (chars.Has('[') && chars.Has('!', '+') && IsJsFuck(s))
        {
            findings.Add(JsFuck);
        }

        // Each evasion needs its characters: a comment's "/*", or '[' after ')' or with an escape.
        if (((chars.Has('*') && chars.Has('/') && chars.Has('.', '[')) || (chars.Has('[') && (chars.Has(')') || chars.Has('\\'))))
            && JsMemberEvasion.IsIn(s))
        {
            findings.Add(JsObfuscatedAccess);
        }

        if (!Text.HasAny(s, AnyMarker))
        {
            return;
        }

        if (Text.HasAny(s, NodeMarkers))
        {
            findings.Add(NodeJs);
        }

        if (chars.Has('.') && Text.HasAny(s, NodeGlobalMarkers))
        {
            findings.Add(NodeGlobals);
        }

        if (chars.Has('(', '[') || chars.Has('`') || chars.Has('.'))
        {
            if (Text.HasAny(s, EvalMarkers) && IsJsEval(s))
            {
                findings.Add(JsEval);
            }
        }

        if ((chars.Has('_') || chars.Has('.', '[')) && Text.HasAny(s, ProtoMarkers))
        {
            findings.Add(PrototypePollution);
        }

        if (Text.HasAny(s, RubyMarkers))
        {
            findings.Add(Ruby);
        }

        if (Text.HasAny(s, PerlMarkers))
        {
            findings.Add(Perl);
        }

        if (Text.HasAny(s, PythonMarkers))
        {
            findings.Add(Python);
        }
    }

    /// <summary>node-serialize's marker in base64: every alignment has a 'J' or a 'Q', which most values lack.</summary>
    private static bool HasNodeBase64(ReadOnlySpan<char> s, in ValueChars chars) =>
        s.Length >= 16 && (chars.Has('J') || chars.Has('Q')) && s.IndexOfAny(NodeBase64) >= 0;

    /// <summary>
    /// Empty arrays coerced by '!' and '+' (<c>![]</c>, <c>+[]</c>, <c>!+[]</c>): twice, or once in a value made
    /// of nothing but JSFuck's six characters. A markdown image "![](x.png)" is neither.
    /// </summary>
    private static bool IsJsFuck(ReadOnlySpan<char> s)
    {
        // A form body reads '+' as a space, so a space stands where a '+' was.
        var atoms = 0;
        for (var i = s.IndexOf("[]", StringComparison.Ordinal); i >= 0; i = Text.IndexOf(s, "[]", i + 2, StringComparison.Ordinal))
        {
            var b = i - 1;
            while (b >= 0 && s[b] == ' ')
            {
                b--;
            }

            var before = b >= 0 ? s[b] : '\0';
            var after = i + 2 < s.Length ? s[i + 2] : '\0';
            if (before is '!' or '+' || (after == '+' && before is '(' or '[' or '\0'))
            {
                atoms++;
            }
        }

        if (atoms >= 2)
        {
            return true;
        }

        return atoms == 1 && s.Trim().IndexOfAnyExcept(JsFuckChars) < 0;
    }

    /// <summary>"eval(" needs code-like arguments; "constructor" needs a call or indexer after it.</summary>
    private static bool IsJsEval(ReadOnlySpan<char> s)
    {
        var at = s.IndexOf("eval", StringComparison.OrdinalIgnoreCase);
        if (at >= 0 && (at == 0 || !char.IsAsciiLetter(s[at - 1])))
        {
            var rest = s[(at + 4)..].TrimStart();
            if (rest.Length > 1 && rest[0] is '(' or '`')
            {
                var arg = rest[1..].TrimStart();
                if (arg.Length > 0 && (arg[0] is '\'' or '"' or '`' or '$' or '[' or '/' || arg.IndexOf('(') >= 0 || arg.IndexOf('.') >= 0))
                {
                    return true;
                }
            }
        }

        return Text.Has(s, "constructor") || Text.Has(s, "function(") || Text.Has(s, "settimeout(") || Text.Has(s, "setinterval(") || Text.Has(s, "fromcharcode(");
    }
}
