using Microsoft.Extensions.Hosting;

namespace Analytics.ServiceDefaults.Hosting;

/// <summary>Runs a host and turns start-up failures people can fix (configuration, a taken port, a bad certificate) into one line each and a non-zero exit code.</summary>
public static class ServiceRunner
{
    public static Task<int> RunAsync(IHost host) => RunAsync(() => host);

    /// <summary>
    /// Builds and runs a host. Building is inside the guard too: composing the request pipeline
    /// already reads (and so validates) options.
    /// </summary>
    public static async Task<int> RunAsync(Func<IHost> build)
    {
        try
        {
            using var host = build();
            await host.RunAsync();
            return 0;
        }
        catch (Exception ex) when (StartupFailure.From(ex) is { } failure)
        {
            await failure.ReportAsync(Console.Error);
            return failure.ExitCode;
        }
    }

    /// <summary>Extracts configuration problems (validation failures, unknown or unparsable keys) from a start-up exception.</summary>
    public static IReadOnlyList<string> ConfigurationProblems(Exception ex) => StartupFailure.ConfigurationProblems(ex);
}
