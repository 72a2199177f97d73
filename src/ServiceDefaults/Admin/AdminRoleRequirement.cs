namespace Analytics.ServiceDefaults.Admin;

/// <summary>Endpoint metadata: the least role an admin endpoint needs (without it: viewer to read, admin to change).</summary>
public sealed record AdminRoleRequirement(AdminRole Role);
