using System.Security.Cryptography;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Analytics.ServiceDefaults.Hosting;

/// <summary>
/// A start-up failure an operator can fix, as the lines to print and the exit code: 2 for
/// configuration problems (each naming its key), 1 for a listener that cannot bind or a file a
/// setting names (a model, a certificate) that cannot be used. Anything else is a bug and keeps its stack trace.
/// </summary>
public sealed record StartupFailure(IReadOnlyList<string> Lines, int ExitCode)
{
    public const int ConfigurationExitCode = 2;
    public const int EnvironmentExitCode = 1;

    /// <summary>Recognises a fixable failure in <paramref name="ex"/> (or its inner exceptions); null when it is none.</summary>
    public static StartupFailure? From(Exception ex)
    {
        var problems = ConfigurationProblems(ex);
        if (problems.Count > 0)
        {
            return new StartupFailure(problems.Select(p => "configuration error: " + p).ToArray(), ConfigurationExitCode);
        }

        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case StartupFileException file:
                    return new StartupFailure([$"start-up error: {file.Message.TrimEnd('.')}"], EnvironmentExitCode);
                case IOException io when io.InnerException is AddressInUseException || io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase):
                    return new StartupFailure(
                        [$"start-up error: {io.Message.TrimEnd('.')}; another process listens there (stop it, or choose another port with Kestrel:Endpoints:<name>:Url or <Service>:Admin:Url)"],
                        EnvironmentExitCode);
                case AddressInUseException inUse:
                    return new StartupFailure([$"start-up error: {inUse.Message.TrimEnd('.')}; another process listens there"], EnvironmentExitCode);
                case IOException or UnauthorizedAccessException when IsKestrelCertificateLoad(e):
                    return new StartupFailure(
                        [$"start-up error: a TLS certificate could not be read (Kestrel:Certificates:Default or Kestrel:Endpoints:<name>:Certificate): {e.Message.TrimEnd('.')}"],
                        EnvironmentExitCode);
                case CryptographicException crypto:
                    return new StartupFailure(
                        [$"start-up error: a TLS certificate could not be loaded (Kestrel:Certificates:Default or Kestrel:Endpoints:<name>:Certificate): {crypto.Message.TrimEnd('.')}"],
                        EnvironmentExitCode);
            }
        }

        return null;
    }

    // Kestrel reads the files of its own Certificate sections itself; its file errors carry no setting name.
    private static bool IsKestrelCertificateLoad(Exception e) =>
        e.StackTrace?.Contains("Kestrel.Core.Internal.Certificates.CertificateConfigLoader", StringComparison.Ordinal) == true;

    /// <summary>Writes one line per problem.</summary>
    public async Task ReportAsync(TextWriter writer)
    {
        foreach (var line in Lines)
        {
            await writer.WriteLineAsync(line);
        }
    }

    /// <summary>Extracts configuration problems (validation failures, unknown or unparsable keys) from a start-up exception.</summary>
    internal static IReadOnlyList<string> ConfigurationProblems(Exception ex)
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
