using System.Runtime.CompilerServices;
using Hangfire.Common;

namespace Analytics.Standalone.Tests;

/// <summary>
/// Initialises Hangfire's process-wide job filters before any test host exists. Their static
/// constructor takes a logger from Hangfire's global log provider, which every host's
/// AddHangfire points at its own ILoggerFactory. With hosts starting and stopping in parallel,
/// the first host to reach that constructor could find the provider left by a host that had
/// already been disposed: a TypeInitializationException (ObjectDisposedException: LoggerFactory)
/// that then failed every later host in the process (seen once in CI). A deployed process has
/// one host, so only the tests need this.
/// </summary>
internal static class HangfireStatics
{
    [ModuleInitializer]
    internal static void InitialiseBeforeAnyHost() => _ = JobFilterProviders.Providers;
}
