using Analytics.Tools.Cli;
using Spectre.Console;

namespace Analytics.Tools.Tests.Cli;

/// <summary>One run of the <c>analytics</c> command line in-process, with what it printed and its exit code.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static async Task<CliRun> RunAsync(string? token, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 240;
        var environment = new Dictionary<string, string?> { [CliContext.TokenVariable] = token };
        var code = await AnalyticsCommandLine.RunAsync(args, new CliContext(console, output, error, name => environment.GetValueOrDefault(name)));
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
