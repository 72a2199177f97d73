using Analytics.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Analytics.ServiceDefaults.Tests.Hosting;

public sealed class RequestLineLogFilterTests
{
    [Fact]
    public void Hosting_request_logging_is_off_so_no_request_opens_a_logging_scope()
    {
        var builder = WebApplication.CreateBuilder();
        RequestLineLogFilter.AddTo(builder);
        using var app = builder.Build();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        // ASP.NET Core opens its per-request scope whenever this category is enabled at any level.
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical));
    }

    [Fact]
    public void The_proxy_logs_its_failures_but_not_the_lines_of_the_requests_it_forwards()
    {
        var builder = WebApplication.CreateBuilder();
        RequestLineLogFilter.AddTo(builder);
        using var app = builder.Build();
        var forwarder = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Yarp.ReverseProxy.Forwarder.HttpForwarder");

        Assert.False(forwarder.IsEnabled(LogLevel.Information));
        Assert.True(forwarder.IsEnabled(LogLevel.Warning));
    }
}
