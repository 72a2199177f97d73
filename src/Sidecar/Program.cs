using Analytics.ServiceDefaults.Admin;
using Analytics.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Analytics.Sidecar;

internal static class Program
{
    public static Task<int> Main(string[] args) => ServiceRunner.RunAsync(() =>
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddAdminListener("Sidecar:Admin");
        builder.AddSidecar();
        var app = builder.Build();
        app.UseAdminListener();
        app.MapSidecar();
        return app;
    });
}
