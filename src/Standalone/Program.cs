using Analytics.Analyzer.Traffic;
using Analytics.ServiceDefaults.Hosting;
using Analytics.Standalone.Demo;

namespace Analytics.Standalone;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--demo-upstream-only"))
        {
            return await RunDemoUpstreamOnlyAsync(args);
        }

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

        // Lives as long as the process: ProcessExit may fire after Main has returned.
        var stopping = new CancellationTokenSource();
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
            // SIGTERM (docker stop, systemd) reaches the host's lifetime, not Console.CancelKeyPress.
            using var onStop = host.App.Lifetime.ApplicationStopping.Register(stopping.Cancel);
            if (settings.Demo)
            {
                DemoGuide.Print(host);
            }

            if (settings.Traffic)
            {
                _ = RunTrafficAsync(host.ProxyUrl, stopping.Token);
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

    /// <summary>Only the demo shop, for the container stack where the sidecar runs on its own.</summary>
    private static async Task<int> RunDemoUpstreamOnlyAsync(string[] args)
    {
        var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(args.Where(a => a != "--demo-upstream-only").ToArray())
            .Build();
        await using var upstream = await DemoUpstream.StartAsync(config["Demo:UpstreamUrl"] ?? "http://127.0.0.1:5080", config["Demo:PublicUrl"]);
        Console.WriteLine($"Demo upstream listening on {upstream.Url} (issuer {upstream.PublicUrl})");
        // Lives as long as the process: ProcessExit may fire after Main has returned.
        var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stopping.Cancel();
        using var onStop = upstream.Stopping.Register(stopping.Cancel);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }

    /// <summary>Benign users and every attack class against the demo shop, bounded in count and time.</summary>
    private static async Task RunTrafficAsync(string proxyUrl, CancellationToken cancellationToken)
    {
        try
        {
            var summary = await new HttpTrafficDriver(new Uri(proxyUrl), TrafficOptions.Demo()).RunAsync(cancellationToken);
            Console.WriteLine($"Traffic generator finished: {summary}");
        }
        catch (OperationCanceledException)
        {
        }
    }
}
