namespace Analytics.Alerts.Tests.Support;

/// <summary>Polls for an outcome of background work, with a generous deadline (never a timing assertion).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }
}
