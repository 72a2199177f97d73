using System.Net;
using System.Net.Sockets;
using Analytics.ServiceDefaults.Hosting;
using Analytics.ServiceDefaults.Tests.Infrastructure;

namespace Analytics.ServiceDefaults.Tests.Hosting;

public sealed class StartupFailureTests
{
    [Fact]
    public async Task A_taken_port_is_one_line_and_exit_code_1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var ex = await Record.ExceptionAsync(async () =>
            await (await AdminHost.StartAsync(new Dictionary<string, string?> { ["Test:Admin:Url"] = $"http://127.0.0.1:{port}" })).DisposeAsync());

        var failure = StartupFailure.From(ex!);
        Assert.NotNull(failure);
        Assert.Equal(StartupFailure.EnvironmentExitCode, failure.ExitCode);
        var line = Assert.Single(failure.Lines);
        Assert.StartsWith($"start-up error: Failed to bind to address http://127.0.0.1:{port}: address already in use", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bug_is_not_mistaken_for_a_fixable_failure() =>
        Assert.Null(StartupFailure.From(new InvalidOperationException("Sequence contains no elements")));

    [Fact]
    public async Task The_runner_prints_the_lines_and_returns_the_exit_code()
    {
        var original = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        int code;
        try
        {
            code = await ServiceRunner.RunAsync(() => throw new InvalidConfigurationException("Test:Thing: must be set"));
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Equal(2, code);
        Assert.Equal("configuration error: Test:Thing: must be set" + Environment.NewLine, captured.ToString());
    }
}
