using System.Diagnostics.CodeAnalysis;

// The redirect goes to the local sign-in page, always; the requested path travels escaped in its
// returnUrl parameter, and the sign-in page only ever redirects to a local admin path.
[assembly: SuppressMessage("Security", "SCS0027:Open redirect", Scope = "member", Target = "~M:Analytics.ServiceDefaults.Admin.AdminAccess.Gate(Microsoft.AspNetCore.Http.HttpContext,Microsoft.AspNetCore.Http.RequestDelegate,Analytics.ServiceDefaults.Admin.AdminCredentials,Analytics.ServiceDefaults.Admin.AdminOptions,Analytics.ServiceDefaults.Admin.AdminSessions)~System.Threading.Tasks.Task", Justification = "Fixed local target; user input only in an escaped query parameter.")]
