using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Analytics.Sidecar.Tests.Infrastructure;

/// <summary>Small helpers for test requests.</summary>
public static class HttpExtensions
{
    public static async Task<HttpResponseMessage> GetWithAsync(this HttpClient client, string path, string? bearer = null, string? apiKey = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        configure?.Invoke(request);
        return await client.SendAsync(request);
    }

    public static string RequestId(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Request-Id", out var values) ? values.Single() : throw new InvalidOperationException("no X-Request-Id");

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Polls <paramref name="probe"/> until it returns true, failing after a generous bound.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> probe, string what, int attempts = 100, int delayMs = 100)
    {
        for (var i = 0; i < attempts; i++)
        {
            if (await probe())
            {
                return;
            }

            await Task.Delay(delayMs);
        }

        throw new Xunit.Sdk.XunitException($"Gave up waiting: {what}");
    }
}
