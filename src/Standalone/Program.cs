using Analytics.ServiceDefaults.Hosting;
using Analytics.Standalone.Demo;

namespace Analytics.Standalone;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var settings = new StandaloneSettings
        {
            Demo = args.Contains("--demo"),
            Traffic = args.Contains("--traffic"),
        };

        // Our own flags are not configuration keys; the rest (e.g. --Sidecar:Admin:Token=...) is.
        var configArgs = args.Where(a => a is not ("--demo" or "--traffic")).ToArray();
        if (settings.Traffic && !settings.Demo)
        {
            await Console.Error.WriteLineAsync("--traffic needs --demo: it drives the demo shop.");
            return 2;
        }

        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stopping.Cancel();

        StandaloneHost host;
        try
        {
            host = await StandaloneHost.StartAsync(configArgs, settings, stopping.Token);
        }
        catch (Exception ex) when (ServiceRunner.ConfigurationProblems(ex) is { Count: > 0 } problems)
        {
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync($"configuration error: {problem}");
            }

            return 2;
        }

        await using (host)
        {
            if (settings.Demo)
            {
                DemoGuide.Print(host);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, stopping.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return 0;
    }
}
