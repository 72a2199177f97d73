using Analytics.ServiceDefaults.Admin;
using Analytics.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Analytics.Analyzer;

/// <summary>The analyzer service; arguments are configuration (<c>--Analyzer:Admin:Token=…</c>). Offline commands live in src/Tools.</summary>
internal static class Program
{
    /// <summary>Runs the analyzer as its own process with its admin listener (<c>Analyzer:Admin</c>, default http://127.0.0.1:9902).</summary>
    private static Task<int> Main(string[] args) => ServiceRunner.RunAsync(() =>
    {
        var builder = ServiceHost.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["Analyzer:Admin:Url"]))
        {
            builder.Configuration["Analyzer:Admin:Url"] = "http://127.0.0.1:9902";
        }

        builder.AddAdminListener("Analyzer:Admin");
        builder.AddAnalyzer();
        var app = builder.Build();
        app.UseAdminListener();
        app.UseAnalyzer();
        return app;
    });
}
