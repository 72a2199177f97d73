namespace Analytics.Tools.Cli;

/// <summary>Exit codes scripts can rely on.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The admin API refused the request (400, 409, 5xx...): the message says why.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments, or no token in ANALYTICS_ADMIN_TOKEN.</summary>
    public const int Usage = 2;

    /// <summary>The token was refused (401/403).</summary>
    public const int Unauthorized = 3;

    /// <summary>The thing named does not exist (404).</summary>
    public const int NotFound = 4;

    /// <summary>The admin API could not be reached.</summary>
    public const int Unreachable = 5;

    public const string Help = """
        Exit codes: 0 ok, 1 the admin API refused the request, 2 bad arguments or no token,
        3 token refused, 4 not found, 5 admin API unreachable.
        """;
}
