using System.Text.RegularExpressions;
using Analytics.ServiceDefaults.Options;
using MimeKit;

namespace Analytics.Alerts;

/// <summary>Start-up checks of <see cref="AlertsOptions"/>: every problem at once, each naming its key and never echoing a secret.</summary>
internal static partial class AlertsOptionsValidation
{
    private static readonly string[] Severities = ["info", "low", "medium", "high", "critical"];

    public static void Validate(AlertsOptions o, ValidationErrors errors)
    {
        Severity(errors, "Log:MinSeverity", o.Log.MinSeverity);
        Severity(errors, "Slack:MinSeverity", o.Slack.MinSeverity);
        Severity(errors, "Email:MinSeverity", o.Email.MinSeverity);
        Severity(errors, "Webhook:MinSeverity", o.Webhook.MinSeverity);
        Positive(errors, "Log:MaxPerHour", o.Log.MaxPerHour);
        Positive(errors, "Slack:MaxPerHour", o.Slack.MaxPerHour);
        Positive(errors, "Email:MaxPerHour", o.Email.MaxPerHour);
        Positive(errors, "Webhook:MaxPerHour", o.Webhook.MaxPerHour);

        // URL values are not echoed: a Slack webhook URL is a credential.
        if (!string.IsNullOrWhiteSpace(o.Slack.WebhookUrl))
        {
            errors.AddIf(!IsHttpUrl(o.Slack.WebhookUrl), "Slack:WebhookUrl", "is not an absolute http(s) URL (value not shown: it is a credential)");
        }

        Positive(errors, "Slack:Timeout", o.Slack.Timeout);
        if (!string.IsNullOrWhiteSpace(o.Webhook.Url))
        {
            errors.AddIf(!IsHttpUrl(o.Webhook.Url), "Webhook:Url", "is not an absolute http(s) URL (value not shown)");
            errors.AddIf(o.Webhook.Secret is not { Length: >= 16 }, "Webhook:Secret", "a signing secret of at least 16 characters is required with Webhook:Url");
        }

        Positive(errors, "Webhook:Timeout", o.Webhook.Timeout);
        if (!string.IsNullOrWhiteSpace(o.Email.Host))
        {
            var e = o.Email;
            errors.AddIf(e.Port is < 1 or > 65535, "Email:Port", $"{e.Port} is not a TCP port");
            errors.AddIf(e.Security is not ("None" or "StartTls" or "SslOnConnect"), "Email:Security", $"'{e.Security}' is not one of None, StartTls, SslOnConnect");
            errors.AddIf(!MailboxAddress.TryParse(e.From, out _), "Email:From", $"'{e.From}' is not an email address");
            errors.AddIf(e.To.Count == 0, "Email:To", "at least one recipient is required with Email:Host");
            for (var i = 0; i < e.To.Count; i++)
            {
                errors.AddIf(!MailboxAddress.TryParse(e.To[i], out _), $"Email:To:{i}", $"'{e.To[i]}' is not an email address");
            }

            foreach (var (severity, recipients) in e.RecipientsBySeverity)
            {
                Severity(errors, $"Email:RecipientsBySeverity:{severity}", severity);
                foreach (var recipient in recipients)
                {
                    errors.AddIf(!MailboxAddress.TryParse(recipient, out _), $"Email:RecipientsBySeverity:{severity}", $"'{recipient}' is not an email address");
                }
            }

            errors.AddIf(!string.IsNullOrEmpty(e.Username) && string.IsNullOrEmpty(e.Password), "Email:Password", "is required with Email:Username");
            Positive(errors, "Email:Timeout", e.Timeout);
        }

        if (!string.IsNullOrWhiteSpace(o.KibanaUrl))
        {
            errors.AddIf(!IsHttpUrl(o.KibanaUrl), "KibanaUrl", $"'{o.KibanaUrl}' is not an absolute http(s) URL");
        }

        if (!string.IsNullOrWhiteSpace(o.DecisionsAdminUrl))
        {
            errors.AddIf(!IsHttpUrl(o.DecisionsAdminUrl), "DecisionsAdminUrl", $"'{o.DecisionsAdminUrl}' is not an absolute http(s) URL");
        }

        var r = o.Routing;
        Positive(errors, "Routing:DedupWindow", r.DedupWindow);
        errors.AddIf(r.GroupWait < TimeSpan.Zero, "Routing:GroupWait", "must not be negative");
        errors.AddIf(r.GroupThreshold < 1, "Routing:GroupThreshold", "must be at least 1");
        errors.AddIf(r.DigestTopEntities is < 1 or > 100, "Routing:DigestTopEntities", "must be between 1 and 100");
        Positive(errors, "Routing:TickInterval", r.TickInterval);

        var d = o.Delivery;
        errors.AddIf(d.Retries is < 0 or > 100, "Delivery:Retries", "must be between 0 and 100");
        Positive(errors, "Delivery:FirstRetryDelay", d.FirstRetryDelay);
        errors.AddIf(d.MaxRetryDelay < d.FirstRetryDelay, "Delivery:MaxRetryDelay", "must be at least Delivery:FirstRetryDelay");
        Positive(errors, "Delivery:PayloadRetention", d.PayloadRetention);

        var h = o.Hangfire;
        errors.AddIf(h.WorkerCount is < 1 or > 100, "Hangfire:WorkerCount", "must be between 1 and 100");
        Positive(errors, "Hangfire:PollInterval", h.PollInterval);
        errors.AddIf(!SchemaName().IsMatch(h.Schema), "Hangfire:Schema", $"'{h.Schema}' is not a plain PostgreSQL identifier (lower-case letters, digits, _)");
    }

    private static void Severity(ValidationErrors errors, string key, string value) =>
        errors.AddIf(!Severities.Contains(value, StringComparer.Ordinal), key, $"'{value}' is not a severity (info, low, medium, high, critical)");

    private static void Positive(ValidationErrors errors, string key, int value) =>
        errors.AddIf(value < 1, key, "must be at least 1");

    private static void Positive(ValidationErrors errors, string key, TimeSpan value) =>
        errors.AddIf(value <= TimeSpan.Zero, key, "must be positive");

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
