namespace Analytics.Standalone.Demo;

/// <summary>Prints where everything listens and a few curl lines to try, once, at start.</summary>
internal static class DemoGuide
{
    public static void Print(StandaloneHost host)
    {
        var proxy = host.ProxyUrl;
        var admin = host.AdminUrl;
        Console.WriteLine($$"""

            Demo is running.
              sidecar (proxy)   {{proxy}}
              admin API         {{admin}}   (token above; export ADMIN_TOKEN=<token>)
              demo upstream     {{host.Upstream?.Url}}

            Try:
              curl -s {{proxy}}/api/status
              curl -s -X POST {{proxy}}/api/login -H 'Content-Type: application/json' -d '{"username":"alice","password":"wonderland"}'
              curl -s {{proxy}}/api/items/42 -H 'X-Api-Key: demo-reader-key'
              TOKEN=$(curl -s -X POST {{proxy}}/api/login -H 'Content-Type: application/json' -d '{"username":"alice","password":"wonderland"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
              curl -s {{proxy}}/api/orders/7 -H "Authorization: Bearer $TOKEN"
              # brute force from 127.0.0.9: after 10 failed logins the sidecar answers 403
              for i in $(seq 1 15); do curl -s -o /dev/null -w '%{http_code}\n' --interface 127.0.0.9 -X POST {{proxy}}/api/login -H 'Content-Type: application/json' -d '{"username":"alice","password":"guess'$i'"}'; done
              curl -s {{admin}}/decisions -H "Authorization: Bearer $ADMIN_TOKEN"
              curl -s {{admin}}/stats -H "Authorization: Bearer $ADMIN_TOKEN"
              curl -s {{admin}}/alerts -H "Authorization: Bearer $ADMIN_TOKEN"

            Press Ctrl+C to stop.
            """);
    }
}
