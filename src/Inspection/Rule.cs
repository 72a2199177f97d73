namespace Analytics.Inspection;

/// <summary>
/// One detection rule: a stable id (what telemetry and exclusions name), its attack category
/// and its anomaly weight in the spirit of the OWASP Core Rule Set (critical 5, error 4,
/// warning 3, notice 2): a request is over the default threshold 5 with one critical finding
/// or with two weaker ones that agree. <paramref name="Paranoia"/> is the lowest paranoia level
/// (1-4, as CRS has them) at which the rule counts: level 1 holds the rules a real API's
/// ordinary traffic does not trip, higher levels trade false positives for recall.
/// </summary>
internal sealed record Rule(string Id, string Category, int Weight, string Description, int Paranoia = 1);

/// <summary>Attack categories, as reported in telemetry.</summary>
internal static class Categories
{
    public const string Sqli = "sqli";
    public const string Xss = "xss";
    public const string Ssti = "ssti";
    public const string PathTraversal = "path-traversal";
    public const string Lfi = "lfi";
    public const string Rfi = "rfi";
    public const string CommandInjection = "command-injection";
    public const string Php = "php-injection";
    public const string Java = "java-injection";
    public const string Generic = "generic-injection";
    public const string Crlf = "crlf-injection";
    public const string Ssrf = "ssrf";
    public const string OpenRedirect = "open-redirect";
    public const string NoSql = "nosql-injection";
    public const string Ldap = "ldap-injection";
    public const string Xxe = "xxe";
    public const string Evasion = "evasion";
    public const string FileDisclosure = "file-disclosure";
    public const string Scanner = "scanner";
    public const string Protocol = "protocol";
    public const string ProtocolAttack = "protocol-attack";
    public const string SessionFixation = "session-fixation";
    public const string Multipart = "multipart";
    public const string Model = "model";
}
