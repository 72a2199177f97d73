using System.CommandLine;
using Analytics.ServiceDefaults.Admin;
using Analytics.ServiceDefaults.Hosting;
using Analytics.Sidecar.Inspection.Cli;
using Microsoft.AspNetCore.Builder;

namespace Analytics.Sidecar;

internal static class Program
{
    /// <summary>
    /// <c>inspect …</c> runs the offline inspection evaluation; anything else runs the sidecar,
    /// whose arguments are configuration (<c>--Sidecar:Admin:Url=…</c>), not commands.
    /// </summary>
    public static Task<int> Main(string[] args) => args is ["inspect", ..]
        ? new RootCommand("API security analytics sidecar") { InspectCommand.Create() }.Parse(args).InvokeAsync()
        : ServiceRunner.RunAsync(() =>
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
