namespace Analytics.Inspection.Detectors;

/// <summary>
/// Java attacks (CRS 944): Log4Shell lookups (<c>${jndi:…}</c>, also spelled with nested
/// lookups such as <c>${${lower:j}ndi:…}</c> or <c>${::-j}</c>, which are resolved first), other
/// Log4j lookups that leak data, the classes RCE payloads name (CRS's list), serialized Java
/// objects (<c>rO0AB</c>, <c>aced0005</c>, raw magic bytes), Spring's class-loader parameters
/// (Spring4Shell) and OGNL / EL / SpEL expressions.
/// </summary>
internal sealed class JavaInjectionDetector : IDetector
{
    public static readonly Rule Jndi = new("java-jndi-lookup", Categories.Java, 5, "a Log4j JNDI lookup (Log4Shell), nested lookups resolved");
    public static readonly Rule Lookup = new("java-log4j-lookup", Categories.Java, 5, "a Log4j lookup that reads the environment or rewrites text");
    public static readonly Rule DangerousClass = new("java-class", Categories.Java, 5, "a Java class that RCE payloads use");
    public static readonly Rule Serialized = new("java-serialized-object", Categories.Java, 5, "a serialized Java object");
    public static readonly Rule ClassLoader = new("java-spring-class-loader", Categories.Java, 5, "a Spring class-loader property path (Spring4Shell)");
    public static readonly Rule Expression = new("java-ognl-el", Categories.Java, 5, "an OGNL, EL or SpEL expression reaching Java internals");

    private static readonly NeedleSet Classes = Text.Set(WordLists.JavaDangerousClasses);

    // Apache Commons Collections gadget classes (ysoserial's chains): Java class names, no word of any language.
    private static readonly string[] GadgetList =
        ["invokertransformer", "chainedtransformer", "constanttransformer", "instantiatetransformer", "clonetransformer",
         "instantiatefactory", "prototypeclonefactory", "prototypeserializationfactory", "lazymap.decorate", "transformedmap.decorate"];

    private static readonly NeedleSet Gadgets = Text.Set(GadgetList);

    private static readonly NeedleSet LookupNames = Text.Set(
        ["${env:", "${sys:", "${java:", "${lower:", "${upper:", "${base64:", "${main:", "${bundle:", "${ctx:", "${docker:", "${k8s:",
         "${spring:", "${log4j:", "${marker:", "${map:", "${sd:", "${web:", "${date:", "${jvmrunargs", "${event:", "${::-", "${hostname", "${script:", "${dns:", "${url:"]);

    private static readonly string[] ExpressionList =
        ["#_memberaccess", "@ognl.", "ognlcontext", "#context[", "#context.", "%{(#", "%{#", "#request[", "#session[", "#application[",
         "#parameters", "@java.lang.", "t(java.", "t (java.", ".getclass()", ".getclass().", ".forname(", "getruntime()", ".getruntime(",
         "new java.", "new processbuilder", "processbuilder(", "facescontext", "#{request", "${request", "${facescontext", "${pagecontext",
         "${applicationscope", "${sessionscope", "${header", "${param", "${cookie", "${initparam", "xwork.methodaccessor",
         "defaultmemberaccess", "@jdk.", "getenginebyname(", "scriptenginemanager", ".getdeclaredmethod", ".getmethod(", ".invoke(",
         "classloader.loadclass", ".newinstance("];

    private static readonly NeedleSet Expressions = Text.Set(ExpressionList);

    private static readonly NeedleSet SerializedMarkers = Text.Set(["ro0ab", "aced0005", "ac ed 00 05", "\\xac\\xed\\x00\\x05", "h4siaaaaaaaaa"]);

    private static readonly ValueChars Trigger = ValueChars.Of("${.#(%[");

    public void Scan(string value, in ValueChars chars, FindingSet findings)
    {
        var s = value.AsSpan();
        if (chars.HasNonAscii && s.Contains("\u00ac\u00ed\u0000\u0005", StringComparison.Ordinal))
        {
            findings.Add(Serialized);
        }

        if (chars.Has('r', 'R') || chars.Has('a', 'A') || chars.Has('H'))
        {
            if (Text.HasAny(s, SerializedMarkers) && SerializedAtStart(s))
            {
                findings.Add(Serialized);
            }
        }

        if (!chars.HasAny(Trigger))
        {
            return;
        }

        if (chars.Has('$') && chars.Has('{'))
        {
            if (s.Contains("${", StringComparison.Ordinal) && HasJndi(s))
            {
                findings.Add(Jndi);
            }
            else if (Text.HasAny(s, LookupNames))
            {
                findings.Add(Lookup);
            }
        }

        if (chars.Has('.') && (Text.HasAny(s, Classes) || HasQualifiedExecClass(s)))
        {
            findings.Add(DangerousClass);
        }

        if (chars.Has('.') || chars.Has('['))
        {
            if (HasClassLoader(s))
            {
                findings.Add(ClassLoader);
            }
        }

        if (Text.HasAny(s, Expressions))
        {
            findings.Add(Expression);
        }

        // Every gadget name has one of these words; vectorised searches for them cost less than the list's pass.
        if (s.Length >= 14 && (s.Contains("transformer", StringComparison.OrdinalIgnoreCase) || s.Contains("factory", StringComparison.OrdinalIgnoreCase)
            || s.Contains(".decorate", StringComparison.OrdinalIgnoreCase)) && Text.HasAny(s, Gadgets))
        {
            findings.Add(DangerousClass);
        }
    }

    /// <summary>
    /// <c>Runtime</c> or <c>ProcessBuilder</c> named by a qualified name under <c>java</c> (<c>java.Runtime</c>,
    /// <c>java.lang.ProcessBuilder</c>), as a class, not as the property prefix <c>java.runtime.version</c>.
    /// </summary>
    private static bool HasQualifiedExecClass(ReadOnlySpan<char> s)
    {
        for (var at = s.IndexOf("java", StringComparison.OrdinalIgnoreCase); at >= 0; at = Text.IndexOf(s, "java", at + 4))
        {
            if (at > 0 && char.IsAsciiLetterOrDigit(s[at - 1]))
            {
                continue;
            }

            // java[x] then dotted package segments, the last one the class.
            var i = at + 4;
            if (i < s.Length && s[i] is 'x' or 'X')
            {
                i++;
            }

            while (i < s.Length && s[i] == '.')
            {
                var segment = i + 1;
                i = segment;
                while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_'))
                {
                    i++;
                }

                var name = s[segment..i];
                var last = i >= s.Length || !(s[i] == '.' && i + 1 < s.Length && char.IsAsciiLetter(s[i + 1]));
                if ((name.Equals("runtime", StringComparison.OrdinalIgnoreCase) || name.Equals("processbuilder", StringComparison.OrdinalIgnoreCase))
                    && (last || s[(i + 1)..].StartsWith("getruntime", StringComparison.OrdinalIgnoreCase) || s[(i + 1)..].StartsWith("exec", StringComparison.OrdinalIgnoreCase)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The serialization magic begins a token (not the middle of a random base64 blob).</summary>
    private static bool SerializedAtStart(ReadOnlySpan<char> s)
    {
        foreach (var marker in (ReadOnlySpan<string>)["rO0AB", "aced0005", "ACED0005", "ac ed 00 05", "\\xac\\xed\\x00\\x05", "H4sIAAAAAAAA"])
        {
            var at = s.IndexOf(marker, StringComparison.Ordinal);
            if (at == 0 || (at > 0 && !char.IsAsciiLetterOrDigit(s[at - 1]) && s[at - 1] is not '+' and not '/'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Resolves Log4j's nested lookups enough to read what they spell, then looks for "jndi:".</summary>
    internal static bool HasJndi(ReadOnlySpan<char> s)
    {
        if (Text.Has(s, "${jndi:"))
        {
            return true;
        }

        var resolved = Resolve(s.Length > 2048 ? s[..2048] : s);
        return Text.Has(resolved, "jndi:") && (Text.Has(resolved, "ldap") || Text.Has(resolved, "rmi") || Text.Has(resolved, "dns") || Text.Has(resolved, "iiop")
            || Text.Has(resolved, "corba") || Text.Has(resolved, "nds") || Text.Has(resolved, "http") || Text.Has(resolved, "nis") || resolved.Contains("${", StringComparison.Ordinal));
    }

    /// <summary>
    /// <paramref name="s"/> with each innermost <c>${…}</c> replaced by what it yields (the default
    /// after <c>:-</c>, the argument of <c>lower:</c>/<c>upper:</c>, otherwise its content), until
    /// none is left or a bound is reached. Runs only for values with "${", which benign traffic rarely has.
    /// </summary>
    private static string Resolve(ReadOnlySpan<char> s)
    {
        var t = s.ToString();
        var from = 0;
        for (var steps = 0; steps < 64; steps++)
        {
            var close = t.IndexOf('}', from);
            if (close < 0)
            {
                break;
            }

            var open = t.LastIndexOf("${", close, StringComparison.Ordinal);
            if (open < 0)
            {
                from = close + 1;
                continue;
            }

            var inner = t.AsSpan((open + 2)..close);
            if (inner.StartsWith("jndi:", StringComparison.OrdinalIgnoreCase))
            {
                return t;
            }

            var dash = inner.IndexOf(":-", StringComparison.Ordinal);
            if (dash >= 0)
            {
                inner = inner[(dash + 2)..];
            }
            else if (inner.StartsWith("lower:", StringComparison.OrdinalIgnoreCase) || inner.StartsWith("upper:", StringComparison.OrdinalIgnoreCase))
            {
                inner = inner[6..];
            }

            t = string.Concat(t.AsSpan(0, open), inner, t.AsSpan(close + 1));
            from = open;
        }

        return t;
    }

    /// <summary><c>class.module.classLoader…</c>, <c>class['classLoader']</c>, <c>Class.classLoader</c>.</summary>
    private static bool HasClassLoader(ReadOnlySpan<char> s)
    {
        var at = s.IndexOf("classloader", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return false;
        }

        var before = s[..at];
        return Text.Has(before, "class.") || Text.Has(before, "class[") || Text.Has(before, "module.") || Text.Has(s, ".classloader.") || Text.Has(s, "[classloader]");
    }
}
