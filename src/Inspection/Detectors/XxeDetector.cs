namespace Analytics.Inspection.Detectors;

/// <summary>
/// XML external entities and friends: DOCTYPE with entity declarations, SYSTEM/PUBLIC
/// identifiers, XInclude, XSLT with extension namespaces; and XML or CDATA inside a
/// parameter, where no API expects a document.
/// </summary>
internal sealed class XxeDetector : IDetector
{
    public static readonly Rule Entity = new("xxe-entity", Categories.Xxe, 5, "an XML entity declaration or external identifier");
    public static readonly Rule Doctype = new("xxe-doctype", Categories.Xxe, 4, "a DOCTYPE declaration");
    public static readonly Rule XInclude = new("xxe-xinclude", Categories.Xxe, 5, "XInclude or an XSLT stylesheet");
    public static readonly Rule XmlInParameter = new("xxe-xml-in-parameter", Categories.Xxe, 5, "an XML declaration or CDATA section inside a parameter");
    public static readonly Rule XPath = new("xxe-xpath", Categories.Xxe, 3, "XPath axis or function syntax");

    public static readonly Rule XPathQuery = new("xxe-xpath-query", Categories.Xxe, 5, "an XPath query: an axis step inside an XPath function call");
    public static readonly Rule EntityReference = new("xxe-entity-reference", Categories.Xxe, 5, "a reference to an entity no HTML or XML predefines (&name; or %name;)");

    private static readonly ValueChars Trigger = ValueChars.Of("<!:(&%");

    public void Scan(string value, in ValueChars chars, FindingSet findings)
    {
        if (!chars.HasAny(Trigger))
        {
            return;
        }

        // Each marker below needs "<!", ':' or '(' (or '<' for the XML-in-parameter ones); most values have none of them.
        var s = value.AsSpan();
        var declaration = chars.Has('<') && chars.Has('!');
        var colon = chars.Has(':');
        if (declaration && (Text.Has(s, "<!ENTITY") || ((Text.Has(s, "SYSTEM \"") || Text.Has(s, "SYSTEM '") || Text.Has(s, "PUBLIC \"")) && s.Contains("<!", StringComparison.Ordinal))))
        {
            findings.Add(Entity);
        }

        if (declaration && Text.Has(s, "<!DOCTYPE"))
        {
            findings.Add(Doctype);
        }

        if (colon && (Text.Has(s, "xi:include") || Text.Has(s, "<xsl:") || Text.Has(s, "XMLSchema-instance\" xsi:schemaLocation") || Text.Has(s, "xmlns:php")))
        {
            findings.Add(XInclude);
        }

        if (findings.Current.Kind != LocationKind.BodyRaw && chars.Has('<', ':') && (Text.Has(s, "<?xml") || Text.Has(s, "<![CDATA[") || Text.Has(s, "<?import") || Text.Has(s, "xmlns:")))
        {
            findings.Add(XmlInParameter);
        }

        if (chars.Has(':', '(') && (Text.Has(s, "::node()") || Text.Has(s, "child::") || Text.Has(s, "count(/") || Text.Has(s, "name(/") || Text.Has(s, "string-length(")))
        {
            findings.Add(XPath);
            if (XPathSyntax.HasAxisStep(s) && XPathSyntax.HasFunctionCall(s))
            {
                // An axis step inside a function call is a query, not text that mentions one.
                findings.Add(XPathQuery);
            }
        }

        if (chars.Has(';') && (chars.Has('&') || chars.Has('%')) && EntityReferences.HasCustom(s))
        {
            findings.Add(EntityReference);
        }
    }
}
