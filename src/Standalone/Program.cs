using Analytics.ServiceDefaults.Hosting;
using Analytics.Standalone.Demo;
using Analytics.Traffic;

namespace Analytics.Standalone;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Any(a => a is "--help" or "-h" or "-?"))
        {
            Console.WriteLine(Usage);
            return 0;
        }

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
        catch (Exception ex) when (StartupFailure.From(ex) is { } failure)
        {
            await failure.ReportAsync(Console.Error);
            return failure.ExitCode;
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

    private const string Usage = """
        Usage: analytics-standalone [--demo [--traffic]] [--Section:Key=value ...]
               analytics-standalone --demo-upstream-only [--Demo:UpstreamUrl=http://0.0.0.0:5080]

        Runs the sidecar, the analyzer and the alerts service in one process over in-process streams.

          --demo                  also start the demo shop on Demo:UpstreamUrl (http://127.0.0.1:5080),
                                  route the sidecar to it and generate an admin token if none is set
          --traffic               with --demo: drive benign and attack traffic through the sidecar
          --demo-upstream-only    run only the demo shop (the container stack's upstream)
          -h, --help              show this text

        Any other --Section:Key=value is configuration, as are environment variables (Section__Key), e.g.
          --Kestrel:Endpoints:Proxy:Url=http://127.0.0.1:8080   the proxy listener
          --Sidecar:Admin:Url=http://127.0.0.1:9901             the admin listener (loopback only)
          --Sidecar:Admin:Token=<at least 16 characters>        required without --demo
          --Analyzer:Model:Path=/path/to/model.zip              the anomaly model (default: models/default.zip beside the program)
          --Sidecar:Inspection:ModelPath=/path/to/model.zip     the inspection model (default: models/inspection-model.zip beside the program)
          --Streams:InProcess:DataDirectory=data                where decisions and events are kept (relative to the working directory)

        Exit codes: 0 stopped cleanly, 1 could not start (e.g. a port in use), 2 configuration error.
        """;

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
