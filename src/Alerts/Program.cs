using Analytics.ServiceDefaults.Admin;
using Analytics.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Analytics.Alerts;

internal static class Program
{
    public static Task<int> Main(string[] args) => ServiceRunner.RunAsync(() =>
    {
        var builder = ServiceHost.CreateBuilder(args);
        builder.Configuration["Alerts:Admin:Url"] ??= "http://127.0.0.1:9903";
        // On its own, the admin listener here is the alerts'; decisions are lifted on the sidecar's.
        builder.Configuration["Alerts:DecisionsAdminUrl"] ??= "http://127.0.0.1:9901";
        builder.AddAdminListener("Alerts:Admin");
        builder.AddAlerts();
        var app = builder.Build();
        app.UseAdminListener();
        return app;
    });
}
