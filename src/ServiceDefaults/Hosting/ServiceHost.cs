using Microsoft.AspNetCore.Builder;

namespace Analytics.ServiceDefaults.Hosting;

/// <summary>Creates a service's builder the same way for every service.</summary>
public static class ServiceHost
{
    /// <summary>
    /// A web application builder whose content root is the application's folder, so
    /// appsettings*.json and shipped files are found wherever the process was started from.
    /// Relative data paths (e.g. <c>data/</c>) still mean the working directory.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args) => WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = AppContext.BaseDirectory,
    });
}
