using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Analytics.ServiceDefaults.Hosting;

/// <summary>Runs a host and turns configuration errors into one clear line per problem and exit code 2.</summary>
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
        catch (Exception ex) when (ConfigurationProblems(ex) is { Count: > 0 } problems)
        {
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync($"configuration error: {problem}");
            }

            return 2;
        }
    }

    /// <summary>Extracts configuration problems (validation failures, unknown or unparsable keys) from a start-up exception.</summary>
    public static IReadOnlyList<string> ConfigurationProblems(Exception ex)
    {
        var problems = new List<string>();
        Collect(ex, problems);
        return problems;
    }

    private static void Collect(Exception? ex, List<string> problems)
    {
        switch (ex)
        {
            case null:
                return;
            case OptionsValidationException ove:
                problems.AddRange(ove.Failures);
                return;
            case AggregateException agg:
                foreach (var inner in agg.InnerExceptions)
                {
                    Collect(inner, problems);
                }

                return;
            case InvalidOperationException ioe when ioe.Message.StartsWith("'ErrorOnUnknownConfiguration'", StringComparison.Ordinal)
                                                   || ioe.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal):
                problems.Add(ioe.Message);
                return;
            case InvalidConfigurationException ice:
                problems.Add(ice.Message);
                return;
            default:
                Collect(ex.InnerException, problems);
                return;
        }
    }
}

/// <summary>Thrown at start-up for configuration that cannot work; its message names the key.</summary>
public sealed class InvalidConfigurationException(string message) : Exception(message);
