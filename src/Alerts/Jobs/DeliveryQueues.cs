namespace Analytics.Alerts.Jobs;

/// <summary>One Hangfire queue per channel, so a channel that is down fills only its own queue.</summary>
internal static class DeliveryQueues
{
    public static string For(string channel) => "alerts-" + channel;
}
