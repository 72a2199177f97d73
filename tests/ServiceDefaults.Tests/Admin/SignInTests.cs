using System.Net;
using System.Text.RegularExpressions;
using Analytics.ServiceDefaults.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.ServiceDefaults.Tests.Admin;

/// <summary>The sign-in flow as a browser does it, with a plain HttpClient and a cookie jar.</summary>
public sealed partial class SignInTests
{
    [Fact]
    public async Task Sign_in_sets_a_strict_http_only_expiring_session_cookie_that_opens_the_admin_endpoints_until_sign_out()
    {
        await using var host = await AdminHost.StartAsync();
        var browser = new Browser(host.Url);

        var form = await browser.GetSignInFormAsync("/things");
        using var signIn = await browser.PostFormAsync("/signin", new() { ["token"] = AdminHost.Token, ["csrf"] = form.Csrf, ["returnUrl"] = form.ReturnUrl });

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/things", signIn.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("analytics_admin_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("expires=", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase); // plain HTTP on loopback
        Assert.DoesNotContain(AdminHost.Token, setCookie, StringComparison.Ordinal);

        using var things = await browser.Client.GetAsync("/things");
        Assert.Equal(HttpStatusCode.OK, things.StatusCode);
        using var index = await browser.Client.GetAsync("/");
        Assert.Contains("href=\"/things\"", await index.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var signOut = await browser.PostFormAsync("/signout", [], origin: host.Url);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var after = await browser.Client.GetAsync("/things");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_session_cookie_changes_state_only_from_the_same_origin()
    {
        await using var host = await AdminHost.StartAsync();
        var browser = await Browser.SignedInAsync(host.Url);

        using var noOrigin = await browser.PostFormAsync("/things", []);
        using var crossSite = await browser.PostFormAsync("/things", [], origin: "http://evil.example");
        using var crossFetch = await browser.SendAsync(HttpMethod.Post, "/things", ("Sec-Fetch-Site", "cross-site"), ("Origin", host.Url));
        using var sameOrigin = await browser.PostFormAsync("/things", [], origin: host.Url);
        using var sameFetch = await browser.SendAsync(HttpMethod.Post, "/things", ("Sec-Fetch-Site", "same-origin"));

        Assert.Equal(HttpStatusCode.Forbidden, noOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, crossFetch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sameOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sameFetch.StatusCode);
        using var count = await browser.Client.GetAsync("/things");
        Assert.Contains("\"count\":2", await count.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_or_a_missing_form_token_opens_no_session()
    {
        await using var host = await AdminHost.StartAsync();
        var browser = new Browser(host.Url);

        var form = await browser.GetSignInFormAsync("/");
        using var wrong = await browser.PostFormAsync("/signin", new() { ["token"] = "wrong-token-wrong-token", ["csrf"] = form.Csrf, ["returnUrl"] = "/" });
        var forged = new Browser(host.Url); // another site's form: it has no sign-in cookie of ours
        using var noCsrf = await forged.PostFormAsync("/signin", new() { ["token"] = AdminHost.Token, ["csrf"] = form.Csrf, ["returnUrl"] = "/" });

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("not the admin token", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, noCsrf.StatusCode);
        using var things = await browser.Client.GetAsync("/things");
        using var forgedThings = await forged.Client.GetAsync("/things");
        Assert.Equal(HttpStatusCode.Unauthorized, things.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forgedThings.StatusCode);
    }

    [Fact]
    public async Task A_session_expires_after_its_lifetime()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await AdminHost.StartAsync(
            new Dictionary<string, string?> { ["Test:Admin:SessionLifetime"] = "00:30:00" },
            b => b.Services.AddSingleton<TimeProvider>(time));
        var browser = await Browser.SignedInAsync(host.Url);

        using var before = await browser.Client.GetAsync("/things");
        time.Advance(TimeSpan.FromMinutes(31));
        using var after = await browser.Client.GetAsync("/things");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    private sealed partial class Browser
    {
        public Browser(string url) =>
            Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(url) };

        public HttpClient Client { get; }

        public static async Task<Browser> SignedInAsync(string url)
        {
            var browser = new Browser(url);
            var form = await browser.GetSignInFormAsync("/");
            using var response = await browser.PostFormAsync("/signin", new() { ["token"] = AdminHost.Token, ["csrf"] = form.Csrf, ["returnUrl"] = "/" });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            return browser;
        }

        public async Task<(string Csrf, string ReturnUrl)> GetSignInFormAsync(string returnUrl)
        {
            var html = await Client.GetStringAsync("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
            return (HiddenField("csrf", html), WebUtility.HtmlDecode(HiddenField("returnUrl", html)));
        }

        public Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields, string? origin = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }

            return Client.SendAsync(request);
        }

        public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, params (string Name, string Value)[] headers)
        {
            var request = new HttpRequestMessage(method, path);
            foreach (var (name, value) in headers)
            {
                request.Headers.Add(name, value);
            }

            return Client.SendAsync(request);
        }

        private static string HiddenField(string name, string html)
        {
            var match = HiddenInput().Matches(html).FirstOrDefault(m => m.Groups["name"].Value == name);
            Assert.NotNull(match);
            return match.Groups["value"].Value;
        }

        [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
        private static partial Regex HiddenInput();
    }
}
