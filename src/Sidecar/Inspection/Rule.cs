namespace Analytics.Sidecar.Inspection;

/// <summary>
/// One detection rule: a stable id (what telemetry and exclusions name), its attack category
/// and its anomaly weight in the spirit of the OWASP Core Rule Set (critical 5, error 4,
/// warning 3, notice 2): a request is over the default threshold 5 with one critical finding
/// or with two weaker ones that agree.
/// </summary>
internal sealed record Rule(string Id, string Category, int Weight, string Description);

/// <summary>Attack categories, as reported in telemetry.</summary>
internal static class Categories
{
    public const string Sqli = "sqli";
    public const string Xss = "xss";
    public const string Ssti = "ssti";
    public const string PathTraversal = "path-traversal";
    public const string Lfi = "lfi";
    public const string CommandInjection = "command-injection";
    public const string Crlf = "crlf-injection";
    public const string Ssrf = "ssrf";
    public const string OpenRedirect = "open-redirect";
    public const string NoSql = "nosql-injection";
    public const string Ldap = "ldap-injection";
    public const string Xxe = "xxe";
    public const string Evasion = "evasion";
    public const string FileDisclosure = "file-disclosure";
    public const string Model = "model";
}
