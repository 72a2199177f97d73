using System.CommandLine;
using Analytics.ServiceDefaults.Admin;
using Analytics.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Analytics.Analyzer.Cli;

/// <summary>The analyzer's command line: no verb runs the service; <c>train</c>, <c>evaluate</c>, <c>replay</c> work on files.</summary>
internal static class AnalyzerCommandLine
{
    public static RootCommand Build(string[] args)
    {
        var root = new RootCommand("API security analyzer: runs as a service without a command.")
        {
            // Configuration overrides (--Analyzer:Admin:Token=...) pass through to the host.
            TreatUnmatchedTokensAsErrors = false,
        };
        root.SetAction((_, ct) => RunServiceAsync(args));
        return root;
    }

    /// <summary>Runs the analyzer as its own process with its admin listener (<c>Analyzer:Admin</c>, default http://127.0.0.1:9902).</summary>
    public static async Task<int> RunServiceAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["Analyzer:Admin:Url"]))
        {
            builder.Configuration["Analyzer:Admin:Url"] = "http://127.0.0.1:9902";
        }

        builder.AddAdminListener("Analyzer:Admin");
        builder.AddAnalyzer();
        await using var app = builder.Build();
        app.UseAdminListener();
        app.UseAnalyzer();
        return await ServiceRunner.RunAsync(app);
    }
}
