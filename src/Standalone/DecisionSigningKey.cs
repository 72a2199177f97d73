using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace Analytics.Standalone;

/// <summary>
/// The one process signs its own decisions: the analyzer and the admin API sign, the sidecar
/// requires signatures. Without a configured key one is generated, and kept beside the decisions
/// file (owner-only) when there is one, so decisions kept over a restart still verify.
/// </summary>
internal static class DecisionSigningKey
{
    public const string SidecarKey = "Sidecar:Decisions:SigningKey";
    public const string AnalyzerKey = "Analyzer:Decisions:SigningKey";
    private const string FileName = "decisions-signing.key";

    /// <summary>Sets both services' key: the one configured for either, else the kept or a new one.</summary>
    public static void Apply(ConfigurationManager configuration)
    {
        var key = NonEmpty(configuration[SidecarKey]) ?? NonEmpty(configuration[AnalyzerKey]) ?? KeptOrNew(configuration["Streams:InProcess:DataDirectory"]);
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { [SidecarKey] = key, [AnalyzerKey] = key });
    }

    private static string KeptOrNew(string? dataDirectory)
    {
        if (string.IsNullOrWhiteSpace(dataDirectory))
        {
            return Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        }

        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path) && NonEmpty(File.ReadAllText(path).Trim()) is { Length: >= 32 } kept)
        {
            return kept;
        }

        Directory.CreateDirectory(dataDirectory);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new StreamWriter(path, System.Text.Encoding.ASCII, options))
        {
            file.Write(key);
        }

        return key;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
