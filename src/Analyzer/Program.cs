using Analytics.Analyzer.Cli;

namespace Analytics.Analyzer;

/// <summary>The analyzer process: the service by default, or a command (train, evaluate, replay).</summary>
internal static class Program
{
    private static Task<int> Main(string[] args) => AnalyzerCommandLine.Build(args).Parse(args).InvokeAsync();
}
