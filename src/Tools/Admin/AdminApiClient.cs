using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Analytics.Tools.Cli;

namespace Analytics.Tools.Admin;

/// <summary>Calls an admin listener with the admin token and turns its answers into JSON or an <see cref="AdminApiException"/>.</summary>
internal sealed class AdminApiClient(Uri baseUrl, string token, HttpMessageHandler? handler = null) : IDisposable
{
    private readonly HttpClient _http = new(handler ?? new SocketsHttpHandler(), disposeHandler: handler is null)
    {
        BaseAddress = baseUrl,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<string> GetTextAsync(string path, CancellationToken cancellationToken) =>
        SendRawAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<JsonElement> PostAsync(string path, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        }, cancellationToken);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken);

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var text = await SendRawAsync(request, cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new AdminApiException($"{request.Method} {request.RequestUri}: the answer is not JSON", ExitCodes.Failed);
        }
    }

    private async Task<string> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw new AdminApiException($"cannot reach the admin API at {_http.BaseAddress}: {ex.Message}", ExitCodes.Unreachable);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AdminApiException($"the admin API at {_http.BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s", ExitCodes.Unreachable);
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return text;
                }

                var what = $"{request.Method} {request.RequestUri?.OriginalString}";
                throw response.StatusCode switch
                {
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new AdminApiException(
                        $"{what}: the admin API refused the token ({(int)response.StatusCode}); check {CliContext.TokenVariable}", ExitCodes.Unauthorized),
                    HttpStatusCode.NotFound => new AdminApiException($"{what}: not found{Detail(text)}", ExitCodes.NotFound),
                    _ => new AdminApiException($"{what}: {(int)response.StatusCode} {response.ReasonPhrase}{Detail(text)}", ExitCodes.Failed),
                };
            }
        }
    }

    /// <summary>The problem+json detail and the names of failing fields, when the API sent them.</summary>
    private static string Detail(string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            var detail = root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()
                : root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var errors = root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Array
                ? string.Join("; ", e.EnumerateArray().Select(x => x.ToString()))
                : null;
            return (detail, errors) switch
            {
                (null, null) => "",
                (_, null) => $": {detail}",
                (null, _) => $": {errors}",
                _ => $": {detail} ({errors})",
            };
        }
        catch (JsonException)
        {
            return "";
        }
    }

    public void Dispose() => _http.Dispose();
}
