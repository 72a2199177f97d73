namespace Analytics.Traffic;

/// <summary>How a planned request authenticates.</summary>
internal enum Credential : byte
{
    None,
    ApiKey,
    Jwt,
}

/// <summary>One request an actor intends to make at a given offset; the simulator or real HTTP turns it into a response.</summary>
internal sealed record PlannedRequest
{
    public required TimeSpan At { get; init; }
    public required string Ip { get; init; }
    public required string Method { get; init; }
    public required string Path { get; init; }
    public string? Query { get; init; }
    public string? Template { get; init; }
    public string? RouteId { get; init; }
    public Credential Credential { get; init; }
    /// <summary>API key id (event mode) for <see cref="Credential.ApiKey"/>.</summary>
    public string? KeyId { get; init; }
    /// <summary>The user a JWT belongs to, or who logs in.</summary>
    public string? User { get; init; }
    /// <summary>For logins: whether the password is right.</summary>
    public bool PasswordOk { get; init; }
    public string? UserAgent { get; init; }
    /// <summary>Inspection category this request would trip (event mode), and in HTTP mode the payload kind.</summary>
    public string? Injection { get; init; }
    public bool Undocumented { get; init; }
    /// <summary>Orders this user owns (for BOLA: other ids are 404).</summary>
    public bool OwnResource { get; init; } = true;
    public required string Label { get; init; }
    public string? AttackClass { get; init; }
    public required string Actor { get; init; }
}
