using System.Buffers;
using System.Collections.Frozen;
using Analytics.Inspection.Normalization;

namespace Analytics.Inspection.Detectors;

/// <summary>
/// Cross-site scripting: script and other active tags, event-handler attributes, script
/// URIs (<c>javascript:</c>, <c>data:text/html</c>) even with whitespace or entities inside,
/// CSS expressions and the JavaScript sinks payloads call. HTML entities are decoded first.
/// </summary>
internal sealed class XssDetector : IDetector
{
    public static readonly Rule ScriptTag = new("xss-script-tag", Categories.Xss, 5, "a <script> tag");
    public static readonly Rule EventHandler = new("xss-event-handler", Categories.Xss, 5, "an on* event handler attribute in markup");
    public static readonly Rule ActiveTag = new("xss-active-tag", Categories.Xss, 5, "a tag that can run script or load content");
    public static readonly Rule ScriptUri = new("xss-script-uri", Categories.Xss, 5, "a javascript:, vbscript: or data: URI");
    public static readonly Rule JsSink = new("xss-js-sink", Categories.Xss, 3, "a JavaScript sink or dialog call");
    public static readonly Rule CssExpression = new("xss-css-expression", Categories.Xss, 4, "a CSS expression or binding");
    public static readonly Rule Markup = new("xss-markup", Categories.Xss, 3, "HTML markup in a value");
    public static readonly Rule AttributeBreakout = new("xss-attribute-breakout", Categories.Xss, 5, "a quote closing an attribute followed by a handler or tag");
    public static readonly Rule DialogProbe = new("xss-dialog-probe", Categories.Xss, 5, "a dialog function called with a probe argument or passed as a value");
    public static readonly Rule ComputedCall = new("xss-computed-call", Categories.Xss, 5, "a global object's property named by joined literals and called, or by a run-time decoder");
    public static readonly Rule CssScriptUrl = new("xss-css-script-url", Categories.Xss, 5, "a CSS url() that runs script: a script scheme, or an XBL/HTC binding that loads code");
    public static readonly Rule Utf7Markup = new("xss-utf7-markup", Categories.Xss, 5, "a tag written in UTF-7 (+ADw-script+AD4-) for a page a browser may read as UTF-7");
    public static readonly Rule DomSinkName = new("xss-dom-sink-name", Categories.Xss, 5, "a parameter or cookie named as a DOM sink (document.cookie, window.location)");
    public static readonly Rule DomSinkValue = new("xss-dom-sink-value", Categories.Xss, 5, "a value that is only a DOM sink expression (document.cookie)", Paranoia: 2);
    public static readonly Rule EntityEvasion = new("xss-entity-evasion", Categories.Xss, 5, "'<' as a numeric character reference padded with zeros or missing its ';'");

    // Attributes that load or bind content on any element, known or not.
    private static readonly NeedleSet ActiveAttributesSet = Text.Set(["datasrc=", "dataformatas=", "formaction=", "srcdoc=", "xlink:href=", "background=javascript"]);

    private static readonly ValueChars Trigger = ValueChars.Of("<>:(=`[&\\");

    // Tags that run script, load content or change the document: critical in a parameter.
    private static readonly string[] ActiveTags =
    [
        "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "img", "image", "body", "style",
        "link", "meta", "base", "form", "input", "button", "video", "audio", "source", "details", "marquee",
        "isindex", "xml", "xss", "html", "textarea", "keygen", "bgsound", "layer", "ilayer", "animate", "set",
        "template", "plaintext", "xmp", "listing", "script", "dialog", "portal", "head", "blink", "noscript",
        "noembed", "param", "canvas", "handler", "listener", "vmlframe", "foreignobject", "use", "feimage", "animatetransform",
        "animatemotion", "discard", "picture", "track", "select", "option", "command", "menu", "svg:svg", "x",
    ];

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ActiveTagSet =
        ActiveTags.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    private static bool IsActiveTag(ReadOnlySpan<char> name) => ActiveTagSet.Contains(name);

    private static readonly string[] Sinks =
    [
        "alert(", "alert`", "prompt(", "prompt`", "confirm(", "confirm`", "eval(", "document.cookie", "document.write",
        "document.location", "document.domain", "window.location", "location.href", "fromcharcode", ".innerhtml",
        "settimeout(", "setinterval(", "constructor(", "atob(", "top[", "self[", "window[", "parent[", "import(",
        "fetch(", "xmlhttprequest", "window.open", "location=", "onerror=", "print(", "globalthis",
    ];

    private static readonly NeedleSet SinksSet = Text.Set(Sinks);

    private static readonly NeedleSet ScriptUrisSet =
        Text.Set(["javascript:", "vbscript:", "livescript:", "data:text/html", "data:image/svg", "data:application/"]);

    private static readonly string[] CssMarkers = ["expression(", "-moz-binding", "behavior:", "@import", "url(javascript", "url(data:"];

    private static readonly NeedleSet CssMarkersSet = Text.Set(CssMarkers);

    private static readonly ValueChars CssChars = ValueChars.Of("(-:@");

    private static readonly ValueChars DialogChars = ValueChars.Of("(`,=[");

    public void Scan(string value, in ValueChars chars, FindingSet findings)
    {
        if (chars.Has('+') && chars.Has('-') && HasUtf7Tag(value))
        {
            findings.Add(Utf7Markup);
        }

        if (chars.Has('.') && value.Length <= 48 && DomSinks.IsWholeExpression(value))
        {
            // As a name no API uses it; as a whole value it is also what a developer types into a docs search box.
            findings.Add(findings.Current.Kind is LocationKind.QueryKey or LocationKind.BodyKey or LocationKind.CookieName ? DomSinkName : DomSinkValue);
        }

        if (!chars.HasAny(Trigger))
        {
            return;
        }

        if (chars.Has('&') && chars.Has('#') && HasEvasiveAngleReference(value))
        {
            findings.Add(EntityEvasion);
        }

        ScanVariant(value, chars, findings);
        var decoded = HtmlEntityDecoder.Decode(value);
        if (!ReferenceEquals(decoded, value))
        {
            ScanVariant(decoded, ValueChars.Of(decoded), findings);
        }

        if (chars.Has('\\'))
        {
            // Script and some URL parsers unescape "\x6A", "\u006A", "\152" and "\a" before they run what they read.
            var unescaped = JsEscapeDecoder.Decode(decoded);
            if (!ReferenceEquals(unescaped, decoded))
            {
                ScanVariant(unescaped, ValueChars.Of(unescaped), findings);
            }
        }
    }

    /// <summary>
    /// <c>&amp;#0060;</c>, <c>&amp;#x0003C;</c>, <c>&amp;#X003c</c>: a '&lt;' spelled so that a filter
    /// looking for <c>&amp;lt;</c> or <c>&amp;#60;</c> misses it, while a browser still reads a tag. An
    /// encoder writes <c>&amp;lt;</c> or <c>&amp;#60;</c>; zero padding is only normal for the
    /// apostrophe (<c>&amp;#039;</c>), which is not flagged.
    /// </summary>
    private static bool HasEvasiveAngleReference(ReadOnlySpan<char> s)
    {
        for (var i = s.IndexOf("&#"); i >= 0; i = NextReference(s, i + 2))
        {
            var j = i + 2;
            var hex = j < s.Length && (s[j] | 0x20) == 'x';
            if (hex)
            {
                j++;
            }

            var start = j;
            var code = 0;
            while (j < s.Length && j - start < 12 && (char.IsAsciiDigit(s[j]) || (hex && char.IsAsciiHexDigit(s[j]))))
            {
                code = (code * (hex ? 16 : 10)) + (char.IsAsciiDigit(s[j]) ? s[j] - '0' : (s[j] | 0x20) - 'a' + 10);
                j++;
            }

            if (j > start && code == '<' && (s[start] == '0' || j == s.Length || s[j] != ';'))
            {
                return true;
            }
        }

        return false;
    }

    private static int NextReference(ReadOnlySpan<char> s, int from)
    {
        var i = s[from..].IndexOf("&#");
        return i < 0 ? -1 : from + i;
    }

    private static void ScanVariant(string value, in ValueChars chars, FindingSet findings)
    {
        var s = value.AsSpan();
        var hasTag = false;
        for (var i = s.IndexOf('<'); i >= 0 && i + 1 < s.Length; i = NextLt(s, i))
        {
            var j = i + 1;
            if (s[j] == '/')
            {
                j++;
            }

            while (j < s.Length && (s[j] < ' ' || s[j] == '%'))
            {
                j++;
            }

            if (j >= s.Length)
            {
                break;
            }

            if (s[j] == '!' || s[j] == '?')
            {
                findings.Add(Markup);
                continue;
            }

            var split = SplitTagName(s, j);
            if (split != TagEvasion.None)
            {
                findings.Add(split == TagEvasion.Script ? ScriptTag : ActiveTag);
                hasTag = true;
                continue;
            }

            if (!char.IsAsciiLetter(s[j]))
            {
                continue;
            }

            var name = Text.WordAt(s, j);
            if (name.Equals("script", StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(ScriptTag);
                hasTag = true;
                continue;
            }

            var after = j + name.Length;
            var tagLike = after >= s.Length || s[after] is ' ' or '/' or '>' or '\t' or '\n' or '\r' or '\f' or '+' or '"' or '\'';
            if (!tagLike)
            {
                continue;
            }

            hasTag = true;
            findings.Add(IsActiveTag(name) ? ActiveTag : Markup);
        }

        // A handler needs its '='; the CSS markers each have a '(', '-', ':' or '@'.
        var handler = chars.Has('=') ? FindEventHandler(s, 0) : -1;
        if (handler >= 0)
        {
            if (hasTag)
            {
                findings.Add(EventHandler);
            }
            else
            {
                findings.Add(JsSink);
                // Attribute injection: the value closes the application's attribute before one of its handlers.
                for (; handler >= 0; handler = FindEventHandler(s, handler + 2))
                {
                    var before = s[..handler];
                    if (before.IndexOfAny('"', '\'', '`') >= 0 || before.Contains('>'))
                    {
                        findings.Add(AttributeBreakout);
                        break;
                    }
                }
            }
        }

        if (hasTag && chars.Has('=') && Text.HasAny(s, ActiveAttributesSet))
        {
            findings.Add(ActiveTag);
        }

        if (chars.HasAny(DialogChars) && DialogProbeFinder.Has(s))
        {
            findings.Add(DialogProbe);
        }

        if (chars.Has('[') && chars.Has(']') && ComputedCallFinder.Has(s))
        {
            findings.Add(ComputedCall);
        }

        if (s.IndexOf(':') >= 0)
        {
            var compact = Text.Compact(value);
            var c = compact.AsSpan();
            if (Text.HasAny(c, ScriptUrisSet) || (Text.Has(c, "data:") && Text.Has(c, ";base64,")))
            {
                findings.Add(ScriptUri);
            }
        }

        if (Text.HasAny(s, SinksSet) || HasHexEscapedCall(s))
        {
            findings.Add(JsSink);
            if (s[..FirstSink(s)].IndexOfAny('"', '\'') >= 0 && (s.Contains(';') || s.Contains("//", StringComparison.Ordinal)))
            {
                // A quote, then a call, and a statement end: script context breakout ("';alert(1)//). Code that
                // passes a string to the call (confirm("Delete?");) has its quote after it.
                findings.Add(AttributeBreakout);
            }
        }

        if (chars.HasAny(CssChars) && Text.HasAny(s, CssMarkersSet))
        {
            findings.Add(CssExpression);
        }

        if (chars.Has('(') && CssScriptUrlFinder.Has(s))
        {
            findings.Add(CssScriptUrl);
        }

        if (s.Contains('>') && hasTag && s.IndexOfAny('"', '\'') >= 0 && s.IndexOf('>') < s.IndexOf('<'))
        {
            findings.Add(AttributeBreakout);
        }
    }

    /// <summary>
    /// A tag name written so that a filter reading the first word misses it: a namespace prefix
    /// (<c>&lt;v:vmlframe</c>, <c>&lt;:vmlframe</c>, <c>&lt; x: script</c>), which old IE and XML
    /// parsers resolve, or letters split by single spaces (<c>&lt;f o r m</c>), which parsers that drop
    /// white space join. Only names that run or load code count: <c>&lt;soap:Body</c>,
    /// <c>&lt;xsl:template</c> and <c>&lt;wsdl:input</c> are the namespaced XML real values quote.
    /// </summary>
    private static TagEvasion SplitTagName(ReadOnlySpan<char> s, int j)
    {
        var k = j;
        while (k < s.Length && s[k] is ' ' or '\t')
        {
            k++;
        }

        var prefixEnd = k;
        while (prefixEnd < s.Length && char.IsAsciiLetterOrDigit(s[prefixEnd]))
        {
            prefixEnd++;
        }

        if (prefixEnd < s.Length && s[prefixEnd] == ':' && prefixEnd - k <= 12 && (prefixEnd == k || char.IsAsciiLetter(s[k])))
        {
            var n = prefixEnd + 1;
            while (n < s.Length && s[n] is ' ' or '\t')
            {
                n++;
            }

            var local = Text.WordAt(s, n);
            var after = n + local.Length;
            if (local.Length > 0 && (after >= s.Length || !char.IsAsciiLetterOrDigit(s[after])))
            {
                if (local.Equals("script", StringComparison.OrdinalIgnoreCase))
                {
                    return TagEvasion.Script;
                }

                foreach (var t in NamespacedActiveTags)
                {
                    if (local.Equals(t, StringComparison.OrdinalIgnoreCase))
                    {
                        return TagEvasion.Active;
                    }
                }
            }

            return TagEvasion.None;
        }

        // Single letters split by one space or tab each: "f o r m".
        Span<char> joined = stackalloc char[12];
        var count = 0;
        var i = j;
        while (i < s.Length && char.IsAsciiLetter(s[i]) && (i + 1 >= s.Length || !char.IsAsciiLetterOrDigit(s[i + 1])) && count < joined.Length)
        {
            joined[count++] = s[i];
            if (i + 2 < s.Length && s[i + 1] is ' ' or '\t' && char.IsAsciiLetter(s[i + 2]))
            {
                i += 2;
                continue;
            }

            break;
        }

        if (count < 3)
        {
            return TagEvasion.None;
        }

        var word = joined[..count];
        if (word.Equals("script", StringComparison.OrdinalIgnoreCase))
        {
            return TagEvasion.Script;
        }

        return IsActiveTag(word) ? TagEvasion.Active : TagEvasion.None;
    }

    private enum TagEvasion
    {
        None,
        Active,
        Script,
    }

    // Namespaced local names that run or load code (VML frames and images, SVG/XBL handlers, frames).
    private static readonly string[] NamespacedActiveTags = ["vmlframe", "imagedata", "iframe", "frame", "embed", "applet", "handler", "listener"];

    /// <summary>
    /// "+ADw-" (UTF-7 for '&lt;') right before a tag: an active tag's name, or any name closed by a
    /// later "+AD4-" ('&gt;'). A tag for a page a browser reads as UTF-7.
    /// </summary>
    private static bool HasUtf7Tag(ReadOnlySpan<char> s)
    {
        for (var i = s.IndexOf("+ADw-", StringComparison.Ordinal); i >= 0; i = Text.IndexOf(s, "+ADw-", i + 5, StringComparison.Ordinal))
        {
            var j = i + 5;
            if (j < s.Length && s[j] == '/')
            {
                j++;
            }

            if (j >= s.Length || !char.IsAsciiLetter(s[j]))
            {
                continue;
            }

            var name = Text.WordAt(s, j);
            if (s[j..].Contains("+AD4-", StringComparison.Ordinal) || name.Equals("script", StringComparison.OrdinalIgnoreCase) || IsActiveTag(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Where the first sink starts (the value's length when only an escaped call matched).</summary>
    private static int FirstSink(ReadOnlySpan<char> s)
    {
        var first = s.Length;
        foreach (var sink in Sinks)
        {
            var at = s.IndexOf(sink, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && at < first)
            {
                first = at;
            }
        }

        return first;
    }

    private static int NextLt(ReadOnlySpan<char> s, int i)
    {
        var next = s[(i + 1)..].IndexOf('<');
        return next < 0 ? -1 : i + 1 + next;
    }

    /// <summary>Position of "on&lt;event&gt;=" preceded by a separator, or -1.</summary>
    private static int FindEventHandler(ReadOnlySpan<char> s, int from)
    {
        for (var i = from; i + 4 < s.Length; i++)
        {
            if ((s[i] | 0x20) != 'o' || (s[i + 1] | 0x20) != 'n')
            {
                continue;
            }

            if (i > 0 && !(s[i - 1] is ' ' or '/' or '"' or '\'' or '`' or '\t' or '\n' or '\r' or '\f' or ';' or '+' || s[i - 1] < ' '))
            {
                continue;
            }

            var j = i + 2;
            while (j < s.Length && char.IsAsciiLetter(s[j]))
            {
                j++;
            }

            if (j - i - 2 < 4)
            {
                continue;
            }

            while (j < s.Length && (s[j] is ' ' or '\t' or '\n' or '\r' or '\f' || s[j] < ' '))
            {
                j++;
            }

            if (j < s.Length && s[j] == '=')
            {
                return i;
            }
        }

        return -1;
    }

    private static bool HasHexEscapedCall(ReadOnlySpan<char> s)
    {
        if (s.IndexOf('\\') < 0)
        {
            return false;
        }

        var i = s.IndexOf("\\x", StringComparison.OrdinalIgnoreCase);
        var u = s.IndexOf("\\u00", StringComparison.OrdinalIgnoreCase);
        return (i >= 0 || u >= 0) && s.Contains('(');
    }
}
