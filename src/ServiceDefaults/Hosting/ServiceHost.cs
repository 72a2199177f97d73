using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Analytics.ServiceDefaults.Hosting;

/// <summary>Creates a service's builder the same way for every service.</summary>
public static class ServiceHost
{
    /// <summary>
    /// A web application builder whose content root is the folder named on the command line
    /// (<c>--contentRoot /etc/analytics</c>, how an operator keeps configuration outside the build
    /// output), else the working directory when it holds an appsettings.json (ASP.NET Core's own
    /// default, and what a script that writes a configuration and starts the service beside it
    /// expects), else the application's folder, so the shipped appsettings*.json and files are
    /// found wherever the process was started from.
    /// Relative data paths (e.g. <c>data/</c>) still mean the working directory.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args) => WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = ContentRoot(args),
    });

    /// <summary>The folder configuration is read from: <c>--contentRoot</c> if given, else a working directory with an appsettings.json, else the program's folder.</summary>
    public static string ContentRoot(string[] args) => ContentRoot(args, Directory.GetCurrentDirectory());

    internal static string ContentRoot(string[] args, string workingDirectory)
    {
        // The host reads --contentRoot itself only when the options leave it unset; we set it, so read it here.
        var given = new ConfigurationBuilder().AddCommandLine(args).Build()[WebHostDefaultsContentRootKey];
        if (string.IsNullOrWhiteSpace(given))
        {
            return File.Exists(Path.Combine(workingDirectory, SettingsFile)) ? workingDirectory : AppContext.BaseDirectory;
        }

        // The host would throw DirectoryNotFoundException with a stack trace; a typo deserves one line.
        var path = Path.GetFullPath(given);
        return Directory.Exists(path) ? path : throw new StartupFileException("--contentRoot", path, "no such directory");
    }

    private const string WebHostDefaultsContentRootKey = "contentRoot";

    private const string SettingsFile = "appsettings.json";
}
