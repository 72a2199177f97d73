using System.CommandLine;
using Analytics.Tools.Admin;

namespace Analytics.Tools.Cli;

/// <summary>Runs a command's work with an admin client and an output, and maps every failure to one message and an exit code.</summary>
internal sealed class CommandRunner(CliContext context, GlobalOptions options, HttpMessageHandler? handler)
{
    public Func<ParseResult, CancellationToken, Task<int>> Action(Func<ParseResult, AdminApiClient, Output, CancellationToken, Task> work) =>
        async (parse, cancellationToken) =>
        {
            var token = context.Environment(CliContext.TokenVariable);
            if (string.IsNullOrWhiteSpace(token))
            {
                await context.Error.WriteLineAsync($"analytics: set {CliContext.TokenVariable} to the admin token");
                return ExitCodes.Usage;
            }

            var url = parse.GetValue(options.Url)!;
            if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
            {
                await context.Error.WriteLineAsync($"analytics: --url '{url}' is not an http(s) URL");
                return ExitCodes.Usage;
            }

            using var client = new AdminApiClient(baseUrl, token.Trim(), handler);
            try
            {
                await work(parse, client, new Output(context, parse.GetValue(options.Output) == "json"), cancellationToken);
                return ExitCodes.Ok;
            }
            catch (AdminApiException ex)
            {
                await context.Error.WriteLineAsync("analytics: " + ex.Message);
                return ex.ExitCode;
            }
            catch (UsageException ex)
            {
                await context.Error.WriteLineAsync("analytics: " + ex.Message);
                return ExitCodes.Usage;
            }
        };
}
