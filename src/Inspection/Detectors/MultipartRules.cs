namespace Analytics.Inspection.Detectors;

/// <summary>
/// Multipart attacks: boundaries that parsers disagree on (missing, duplicated, unbalanced
/// quotes, characters RFC 2046 does not allow), bodies that never close, parts with no or two
/// <c>Content-Disposition</c> headers or a <c>Content-Transfer-Encoding</c> that hides the
/// content, a <c>_charset_</c> field naming an encoding the inspection does not read, and
/// uploaded file names that are server-side scripts.
/// </summary>
internal static class MultipartRules
{
    public static readonly Rule InvalidBoundary = new("multipart-invalid-boundary", Categories.Multipart, 5, "a missing, duplicated or malformed multipart boundary");
    public static readonly Rule Unterminated = new("multipart-unterminated", Categories.Multipart, 3, "a multipart body without its closing boundary");
    public static readonly Rule BadPartHeaders = new("multipart-part-headers", Categories.Multipart, 5, "a part with no or several Content-Disposition headers, or a header that hides its content");
    public static readonly Rule CharsetField = new("multipart-charset-field", Categories.Multipart, 5, "a _charset_ field naming an unexpected encoding");
    public static readonly Rule ScriptUpload = new("multipart-script-upload", Categories.Multipart, 5, "an uploaded file name with a server-side script extension");
    public static readonly Rule FileNameTraversal = new("multipart-filename-traversal", Categories.PathTraversal, 5, "an uploaded file name with a '..' path segment");

    private static readonly string[] ScriptExtensions =
    [
        ".php", ".php2", ".php3", ".php4", ".php5", ".php6", ".php7", ".php8", ".phtml", ".phar", ".pht", ".phps", ".phpt", ".jsp", ".jspx", ".jsw", ".jsv", ".asp", ".aspx", ".ashx",
        ".asmx", ".asa", ".cer", ".cfm", ".cgi", ".shtml", ".htaccess", ".war",
    ];

    /// <summary>RFC 2046: 1-70 characters of digits, letters and <c>'()+_,-./:=? </c>, not ending in a space.</summary>
    public static bool IsValidBoundary(ReadOnlySpan<char> boundary)
    {
        if (boundary.IsEmpty || boundary.Length > 70 || boundary[^1] == ' ')
        {
            return false;
        }

        foreach (var c in boundary)
        {
            if (!char.IsAsciiLetterOrDigit(c) && "'()+_,-./:=? ".IndexOf(c) < 0)
            {
                return false;
            }
        }

        return true;
    }

    public static void CheckPartHeader(ReadOnlySpan<char> name, ReadOnlySpan<char> value, FindingSet findings)
    {
        if (name.Equals("Content-Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
            && !(value.Equals("binary", StringComparison.OrdinalIgnoreCase) || value.Equals("8bit", StringComparison.OrdinalIgnoreCase) || value.Equals("7bit", StringComparison.OrdinalIgnoreCase)))
        {
            // base64 or quoted-printable parts (deprecated for form-data, RFC 7578) hide their text from the scan.
            findings.Add(BadPartHeaders);
        }
    }

    public static void CheckCharsetField(ReadOnlySpan<char> value, FindingSet findings)
    {
        var v = value.Trim();
        if (!(v.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || v.Equals("iso-8859-1", StringComparison.OrdinalIgnoreCase)
            || v.Equals("us-ascii", StringComparison.OrdinalIgnoreCase) || v.Equals("windows-1252", StringComparison.OrdinalIgnoreCase)))
        {
            findings.Add(CharsetField);
        }
    }

    /// <summary>
    /// A request header that names an uploaded file (<c>X-File-Name</c>, <c>X_Filename</c>, <c>X.Filename</c>, <c>X-Upload-Filename</c>),
    /// spelled with any of the separators servers fold together.
    /// </summary>
    public static bool IsFileNameHeader(ReadOnlySpan<char> name)
    {
        if (name.Length is < 8 or > 24 || !name.EndsWith("name", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<char> folded = stackalloc char[name.Length];
        var n = 0;
        foreach (var c in name)
        {
            if (c is not '-' and not '_' and not '.')
            {
                folded[n++] = char.ToLowerInvariant(c);
            }
        }

        var f = folded[..n];
        return f.SequenceEqual("xfilename") || f.SequenceEqual("filename") || f.SequenceEqual("xuploadfilename") || f.SequenceEqual("uploadfilename");
    }

    public static void CheckFileName(ReadOnlySpan<char> fileName, FindingSet findings)
    {
        if (HasDotDotSegment(fileName))
        {
            // A browser sends a file's name without its directory; a ".." segment is meant for a server that joins it to one.
            findings.Add(FileNameTraversal);
        }

        var name = fileName.TrimEnd(". \0");
        foreach (var ext in ScriptExtensions)
        {
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase) || name.Contains(ext + ".", StringComparison.OrdinalIgnoreCase) || name.Contains(ext + ";", StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(ScriptUpload);
                return;
            }
        }
    }

    /// <summary><c>..</c> as a whole segment between <c>/</c> or <c>\</c> (or the ends); <c>report..pdf</c> and <c>...</c> are names.</summary>
    private static bool HasDotDotSegment(ReadOnlySpan<char> fileName)
    {
        for (var at = fileName.IndexOf(".."); at >= 0;)
        {
            var end = at + 2;
            if ((at == 0 || fileName[at - 1] is '/' or '\\') && (end == fileName.Length || fileName[end] is '/' or '\\'))
            {
                return true;
            }

            var next = fileName[(at + 1)..].IndexOf("..");
            at = next < 0 ? -1 : at + 1 + next;
        }

        return false;
    }
}
