namespace Analytics.Tools.Tests.Cli;

/// <summary>One demo Standalone (sidecar, analyzer and alerts on one admin listener, ports chosen by the OS) shared by the CLI tests.</summary>
public sealed class StandaloneForCli : IAsyncLifetime
{
    private DemoHost? _demo;

    public string AdminUrl => _demo!.Host.AdminUrl;

    public string Token => StandaloneDemo.AdminToken;

    public async Task InitializeAsync() => _demo = await DemoHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_demo is not null)
        {
            await _demo.DisposeAsync();
        }
    }
}
