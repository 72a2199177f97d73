namespace Analytics.Detection.Features;

/// <summary>What one event contributes to every entity it touches, computed once per event.</summary>
internal struct EventFacts
{
    public long Ticks;
    public int Status;
    public bool AuthFailure;
    public bool LoginSuccess;
    public bool Finding;
    public ushort CategoryMask;
    public bool Undocumented;
    public bool Sensitive;
    public float BytesIn;
    public float BytesOut;
    public float LatencyMs;
    public uint PathHash;
    public uint TemplateHash;
    /// <summary>Hash of template and resource id; 0 when the path names no resource.</summary>
    public uint IdHash;
    /// <summary>Numeric resource id, or -1.</summary>
    public long IdValue;
    /// <summary>Hash of the login identifier of a failed login; 0 otherwise.</summary>
    public uint FailedLoginHash;
    public uint SourceHash;
    public uint AgentHash;

    /// <summary>Bits for inspection categories, so a window keeps which kinds of findings it saw in two bytes.</summary>
    public static ushort CategoryBit(string category) => category switch
    {
        "sqli" or "sql_injection" => 1,
        "xss" => 2,
        "path_traversal" or "traversal" => 4,
        "command_injection" or "cmdi" => 8,
        "crlf" or "header_injection" => 16,
        "ssrf" => 32,
        "schema" or "validation" => 64,
        _ => 128,
    };

    public static readonly string[] CategoryNames = ["sqli", "xss", "path_traversal", "command_injection", "crlf", "ssrf", "schema", "other"];
}
