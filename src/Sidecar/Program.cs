using Analytics.ServiceDefaults.Admin;
using Analytics.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Analytics.Sidecar;

internal static class Program
{
    /// <summary>Runs the sidecar; arguments are configuration (<c>--Sidecar:Admin:Url=…</c>). Offline commands live in src/Tools.</summary>
    public static Task<int> Main(string[] args) => ServiceRunner.RunAsync(() =>
    {
        var builder = ServiceHost.CreateBuilder(args);
        builder.AddAdminListener("Sidecar:Admin");
        builder.AddSidecar();
        var app = builder.Build();
        app.UseAdminListener();
        app.MapSidecar();
        return app;
    });
}
