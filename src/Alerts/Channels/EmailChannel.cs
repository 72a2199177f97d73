using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Analytics.Alerts.Routing;
using Analytics.Alerts.Templates;
using Analytics.Messaging;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Analytics.Alerts.Channels;

/// <summary>
/// Email over SMTP with MailKit: HTML and plain text with the same content. Every message has its
/// own <c>Message-ID</c> (the notification id, so a retried send is recognisably the same mail);
/// all messages about one dedup key reference one thread id, as GitHub's notifications do, so mail
/// clients thread the updates.
/// </summary>
internal sealed class EmailChannel(IOptions<AlertsOptions> options) : IAlertChannel
{
    private readonly EmailOptions _options = options.Value.Email;

    public string Name => "email";

    public bool Enabled => !string.IsNullOrWhiteSpace(_options.Host);

    public RouteChannel Route => new(Name, _options.MinSeverity, _options.MaxPerHour);

    public MimeMessage Compose(Notification notification, NotificationView view)
    {
        var from = MailboxAddress.Parse(_options.From);
        var domain = from.Domain is { Length: > 0 } d ? d : "localhost";
        var message = new MimeMessage
        {
            Subject = EmailTemplate.Subject(view),
            MessageId = $"{notification.Id}@{domain}",
            Date = notification.Created,
        };
        message.From.Add(from);
        foreach (var to in Recipients(notification.Severity))
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        if (view.ThreadKey is { Length: > 0 } thread)
        {
            var root = $"alerts.{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(thread)))[..32]}@{domain}";
            message.References.Add(root);
            message.InReplyTo = root;
        }

        var body = new BodyBuilder { TextBody = EmailTemplate.Text(view), HtmlBody = EmailTemplate.Html(view) };
        message.Body = body.ToMessageBody();
        return message;
    }

    public async Task SendAsync(Notification notification, NotificationView view, CancellationToken cancellationToken)
    {
        var message = Compose(notification, view);
        using var client = new SmtpClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(_options.Host!, _options.Port, Security(_options.Security), cancellationToken);
            if (!string.IsNullOrEmpty(_options.Username))
            {
                await client.AuthenticateAsync(_options.Username, _options.Password ?? "", cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (SocketException ex)
        {
            throw new ChannelDeliveryException(Name, $"cannot connect to the SMTP server ({ex.SocketErrorCode})");
        }
        catch (AuthenticationException)
        {
            throw new ChannelDeliveryException(Name, "SMTP authentication failed (check Alerts:Email:Username and Password)");
        }
        catch (SmtpCommandException ex)
        {
            throw new ChannelDeliveryException(Name, $"the SMTP server refused ({(int)ex.StatusCode} {ex.ErrorCode})");
        }
        catch (SmtpProtocolException)
        {
            throw new ChannelDeliveryException(Name, "SMTP protocol error");
        }
        catch (ServiceNotConnectedException)
        {
            throw new ChannelDeliveryException(Name, "the SMTP connection was lost");
        }
        catch (IOException)
        {
            throw new ChannelDeliveryException(Name, "the SMTP connection failed");
        }
        catch (SslHandshakeException)
        {
            throw new ChannelDeliveryException(Name, "TLS handshake with the SMTP server failed");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChannelDeliveryException(Name, "timed out");
        }
    }

    internal List<string> Recipients(string severity)
    {
        var rank = AlertSeverities.Rank(severity);
        var all = new List<string>(_options.To);
        foreach (var (threshold, extra) in _options.RecipientsBySeverity)
        {
            if (rank >= AlertSeverities.Rank(threshold))
            {
                all.AddRange(extra);
            }
        }

        return [.. all.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    internal static SecureSocketOptions Security(string value) => value switch
    {
        "None" => SecureSocketOptions.None,
        "SslOnConnect" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}
