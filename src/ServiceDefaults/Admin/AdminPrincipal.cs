namespace Analytics.ServiceDefaults.Admin;

/// <summary>The admin credential a request presented: its configured name (what audit records name) and its role.</summary>
public sealed record AdminPrincipal(string Name, AdminRole Role)
{
    /// <summary>True when this credential's role includes <paramref name="required"/>.</summary>
    public bool Has(AdminRole required) => Role >= required;
}
