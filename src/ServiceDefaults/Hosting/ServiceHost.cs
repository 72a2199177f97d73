using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Analytics.ServiceDefaults.Hosting;

/// <summary>Creates a service's builder the same way for every service.</summary>
public static class ServiceHost
{
    /// <summary>
    /// A web application builder whose content root is the application's folder, so
    /// appsettings*.json and shipped files are found wherever the process was started from,
    /// unless the command line names another (<c>--contentRoot /etc/analytics</c>), which is how
    /// an operator keeps configuration outside the build output.
    /// Relative data paths (e.g. <c>data/</c>) still mean the working directory.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args) => WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = ContentRoot(args),
    });

    /// <summary>The folder configuration is read from: <c>--contentRoot</c> if given, else the program's folder.</summary>
    public static string ContentRoot(string[] args)
    {
        // The host reads --contentRoot itself only when the options leave it unset; we set it, so read it here.
        var given = new ConfigurationBuilder().AddCommandLine(args).Build()[WebHostDefaultsContentRootKey];
        if (string.IsNullOrWhiteSpace(given))
        {
            return AppContext.BaseDirectory;
        }

        // The host would throw DirectoryNotFoundException with a stack trace; a typo deserves one line.
        var path = Path.GetFullPath(given);
        return Directory.Exists(path) ? path : throw new StartupFileException("--contentRoot", path, "no such directory");
    }

    private const string WebHostDefaultsContentRootKey = "contentRoot";
}
