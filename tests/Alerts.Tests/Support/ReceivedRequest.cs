namespace Analytics.Alerts.Tests.Support;

/// <summary>One request a <see cref="HttpReceiver"/> got.</summary>
internal sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset ArrivedAt, int Status)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}
