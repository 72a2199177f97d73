namespace Analytics.ServiceDefaults.Hosting;

/// <summary>
/// A file that a setting names cannot be used at start-up (missing, unreadable, not what it should
/// be). <see cref="StartupFailure"/> prints it as one line naming the setting, the path and the problem.
/// </summary>
public sealed class StartupFileException(string setting, string path, string problem, Exception? inner = null)
    : Exception($"{setting} = '{path}': {problem}", inner)
{
    /// <summary>The configuration key that names the file, e.g. <c>Analyzer:Model:Path</c>.</summary>
    public string Setting { get; } = setting;

    public string FilePath { get; } = path;

    public string Problem { get; } = problem;
}
