using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Analytics.ServiceDefaults.Tls;

/// <summary>
/// A listener's certificate, re-read from disk when its files change: every handshake compares
/// the files' modification time and size (one stat each, cheap next to a handshake) with those
/// of the loaded copy. A file caught half-written keeps the previous certificate in service and
/// is retried on the next handshake.
/// </summary>
public sealed partial class ReloadingCertificate : IDisposable
{
    private readonly TlsCertificateOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private X509Certificate2? _current;
    private (DateTime, long, DateTime, long) _stamp;

    public ReloadingCertificate(TlsCertificateOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
    }

    /// <summary>The certificate to present now; loads or reloads it when the files changed.</summary>
    public X509Certificate2 Current
    {
        get
        {
            var stamp = Stamp();
            var current = _current;
            if (current is not null && stamp == _stamp)
            {
                return current;
            }

            lock (_lock)
            {
                if (_current is not null && stamp == _stamp)
                {
                    return _current;
                }

                try
                {
                    var loaded = CertificateFiles.Load(_options);
                    // The old one may still be in a handshake; it is left to the finalizer rather than disposed under it.
                    _current = loaded;
                    _stamp = stamp;
                    if (current is not null)
                    {
                        Reloaded(_logger, _options.CertificateFile!, loaded.Thumbprint, loaded.NotAfter);
                    }
                }
                catch (Exception ex) when (ex is CryptographicException or IOException or ArgumentException && _current is not null)
                {
                    ReloadFailed(_logger, _options.CertificateFile!, ex.Message);
                }

                return _current!;
            }
        }
    }

    private (DateTime, long, DateTime, long) Stamp()
    {
        var cert = new FileInfo(_options.CertificateFile!);
        var key = string.IsNullOrWhiteSpace(_options.KeyFile) ? null : new FileInfo(_options.KeyFile);
        return (cert.Exists ? cert.LastWriteTimeUtc : default, cert.Exists ? cert.Length : -1,
            key is { Exists: true } ? key.LastWriteTimeUtc : default, key is { Exists: true } ? key.Length : -1);
    }

    public void Dispose() => _current?.Dispose();

    [LoggerMessage(EventId = 9601, Level = LogLevel.Information, Message = "TLS certificate reloaded from {File}: thumbprint {Thumbprint}, valid until {NotAfter:u}")]
    private static partial void Reloaded(ILogger logger, string file, string thumbprint, DateTime notAfter);

    [LoggerMessage(EventId = 9602, Level = LogLevel.Warning, Message = "TLS certificate {File} changed but could not be loaded, the previous one stays in service: {Reason}")]
    private static partial void ReloadFailed(ILogger logger, string file, string reason);
}
