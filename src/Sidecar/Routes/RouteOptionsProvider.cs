using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Analytics.Sidecar.Routes;

/// <summary>
/// Reads <c>Sidecar:Routes</c>: a validated snapshot, swapped whole when the configuration
/// reloads. A reload that fails validation is refused with one log line and the previous
/// snapshot keeps serving, so a typo in a live edit never opens or closes routes by accident.
/// A route without an entry gets <c>Sidecar:DefaultRoutePolicy</c>; start-up refuses such a
/// route when that is not set, so only a route added by a later YARP reload can meet the
/// built-in fallback (authenticated).
/// </summary>
internal sealed class RouteOptionsProvider : IRouteOptionsProvider, IDisposable
{
    private static readonly SidecarRouteOptions ClosedDefault = new();
    private readonly IOptionsFactory<SidecarRoutesOptions> _factory;
    private readonly IConfiguration _configuration;
    private readonly ILogger<RouteOptionsProvider> _logger;
    private readonly IDisposable _subscription;
    private volatile Dictionary<string, SidecarRouteOptions> _routes;
    private volatile SidecarRouteOptions _fallback;

    public RouteOptionsProvider(IOptions<SidecarRoutesOptions> options, IOptionsFactory<SidecarRoutesOptions> factory, IConfiguration configuration,
        ILogger<RouteOptionsProvider> logger)
    {
        _factory = factory;
        _logger = logger;
        _configuration = configuration;
        _routes = new Dictionary<string, SidecarRouteOptions>(options.Value, StringComparer.OrdinalIgnoreCase);
        _fallback = DefaultRoutePolicy.Bind(configuration) ?? ClosedDefault;
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    public SidecarRouteOptions Get(string routeId) => _routes.TryGetValue(routeId, out var route) ? route : _fallback;

    /// <summary>Binds and validates the section again (same binder, same validators as at start-up).</summary>
    internal void Reload()
    {
        try
        {
            var fresh = _factory.Create(Options.DefaultName);
            _routes = new Dictionary<string, SidecarRouteOptions>(fresh, StringComparer.OrdinalIgnoreCase);
            _fallback = DefaultRoutePolicy.Bind(_configuration) ?? ClosedDefault;
            RoutesLog.Reloaded(_logger, fresh.Count);
        }
        catch (OptionsValidationException ex)
        {
            RoutesLog.ReloadRefused(_logger, string.Join("; ", ex.Failures));
        }
        catch (InvalidOperationException ex)
        {
            // The strict binder's unknown-key error.
            RoutesLog.ReloadRefused(_logger, ex.Message);
        }
    }

    public void Dispose() => _subscription.Dispose();
}
