using System.Collections.Frozen;
using Analytics.Inspection.Detectors;
using Analytics.Inspection.Normalization;

namespace Analytics.Inspection;

/// <summary>Findings that normalisation itself produces: encodings no honest client sends.</summary>
internal static class NormalizationRules
{
    public static readonly Rule Overlong = new("evasion-overlong-utf8", Categories.Evasion, 5, "overlong UTF-8");
    public static readonly Rule NullByte = new("evasion-null-byte", Categories.Evasion, 5, "a NUL character");
    public static readonly Rule MultipleEncoding = new("evasion-multiple-encoding", Categories.Evasion, 3, "percent-encoding applied more than once");
    public static readonly Rule UnicodeEscape = new("evasion-unicode-escape", Categories.Evasion, 3, "IIS %uXXXX escapes");
    public static readonly Rule DecodeBound = new("evasion-decode-bound", Categories.Evasion, 5, "still encoded after the decoding bound");
    public static readonly Rule PrivateUse = new("evasion-private-use", Categories.Evasion, 3, "private-use Unicode code points");
    public static readonly Rule InvalidPercent = new("evasion-invalid-percent", Categories.Evasion, 4, "malformed percent-escapes");
    public static readonly Rule RestrictedFile = new("file-restricted-extension", Categories.FileDisclosure, 5, "a backup, source or configuration file");

    public static void Report(DecodeFlags flags, FindingSet findings)
    {
        if (flags == DecodeFlags.None)
        {
            return;
        }

        if ((flags & DecodeFlags.OverlongUtf8) != 0)
        {
            findings.Add(Overlong);
        }

        if ((flags & DecodeFlags.NullByte) != 0)
        {
            findings.Add(NullByte);
        }

        if ((flags & DecodeFlags.MultipleEncoding) != 0)
        {
            findings.Add(MultipleEncoding);
        }

        if ((flags & DecodeFlags.UnicodeEscape) != 0)
        {
            findings.Add(UnicodeEscape);
        }

        if ((flags & DecodeFlags.PrivateUse) != 0)
        {
            findings.Add(PrivateUse);
        }

        if ((flags & DecodeFlags.InvalidPercent) != 0)
        {
            findings.Add(InvalidPercent);
        }

        if ((flags & DecodeFlags.DecodeBoundReached) != 0)
        {
            findings.Add(DecodeBound);
        }
    }

    private static readonly string[] RestrictedExtensions =
    [
        ".bak", ".old", ".orig", ".backup", ".save", ".sav", ".swp", ".tmp", ".temp", ".java", ".class", ".inc",
        ".config", ".conf", ".cfg", ".ini", ".log", ".sql", ".db", ".sqlite", ".mdb", ".env", ".htaccess",
        ".htpasswd", ".ds_store", ".pem", ".key", ".jks", ".pfx", ".p12", ".git", ".svn", ".hg", ".bash_history",
        ".cs", ".vb", ".csproj", ".sln", ".dll", ".pdb", ".py", ".rb", ".sh", ".bat", ".cmd", ".ps1", ".yml", ".yaml",
        ".dist", ".copy", ".1", ".~1~", ".lock", ".idea", ".passwd", ".cer", ".crt", ".der",
        // The IIS and ASP.NET ones of CRS's restricted extensions (rule 920440, Apache-2.0) and .cnf configuration;
        // .com, .dat, .xsd and .axd of that list are left out, an API serves such paths (an e-mail or domain as the
        // last segment, data files, schemas, WebResource.axd).
        ".htr", ".htw", ".ida", ".idc", ".idq", ".printer", ".asa", ".asax", ".ascx", ".cdx", ".dbf", ".licx", ".lnk",
        ".pol", ".pwd", ".rdb", ".resources", ".resx", ".vbs", ".vbproj", ".vsdisco", ".webinfo", ".xsx", ".cnf",
    ];

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> RestrictedExtensionSet =
        RestrictedExtensions.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly NeedleSet RestrictedDirectories =
        Text.Set(["/web-inf", "/meta-inf", "/.git/", "/.svn/", "/.hg/", "/.ssh/", "/.aws/", "/cgi-bin/", "/iissamples", "/_vti_", "/.well-known/../",
            // Vite's dev-server module route with its encoded NUL (/@id/__x00__…): served only by a dev server left exposed.
            "/@id/__x00__"]);

    // A database dump or backup packed for download ("backup.sql.zip", "site.bak.tar.gz"): the inner extension is one
    // of the restricted ones a dump or backup has; "report.pdf.zip" and "photos.tar.gz" are ordinary downloads.
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> DumpExtensionSet =
        new[] { ".sql", ".bak", ".old", ".orig", ".backup", ".save", ".sav", ".swp", ".db", ".sqlite", ".mdb", ".dbf", ".env" }
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ArchiveExtensionSet =
        new[] { ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".zst", ".z" }
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Requests for backups, sources and configuration files: file disclosure probes.</summary>
    public static void CheckPath(string canonicalPath, FindingSet findings)
    {
        var span = canonicalPath.AsSpan();
        var slash = span.LastIndexOf('/');
        var last = span[(slash + 1)..];
        if (last.Length > 1 && (last[^1] == '~' || last[0] == '#'))
        {
            findings.Add(RestrictedFile);
            return;
        }

        var dot = last.LastIndexOf('.');
        if ((dot >= 0 && RestrictedExtensionSet.Contains(last[dot..])) || Text.HasAny(span, RestrictedDirectories) || (dot > 0 && IsPackedDump(last, dot)))
        {
            findings.Add(RestrictedFile);
        }
    }

    /// <summary><c>name.sql.zip</c>, <c>name.bak.tar.gz</c>: an archive extension (one or two) after a dump's.</summary>
    private static bool IsPackedDump(ReadOnlySpan<char> last, int dot)
    {
        for (var outer = 0; outer < 2 && dot > 0 && ArchiveExtensionSet.Contains(last[dot..]); outer++)
        {
            last = last[..dot];
            dot = last.LastIndexOf('.');
            if (dot > 0 && DumpExtensionSet.Contains(last[dot..]))
            {
                return true;
            }
        }

        return false;
    }
}
