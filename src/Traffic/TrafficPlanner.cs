using Analytics.Detection;
using Analytics.Detection.Features;
using Analytics.Messaging;

namespace Analytics.Traffic;

/// <summary>
/// Plans who sends what when: benign populations (browsing users, NATs, batch integrations,
/// crawlers) and every attack class, in fast, low-and-slow and distributed variants. Pure
/// function of the options: one seeded <see cref="Random"/> drives everything.
/// </summary>
internal sealed class TrafficPlanner
{
    private static readonly string[] BrowserAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0",
    ];

    private static readonly string[] MobileAgents =
    [
        "ShopApp/4.2.1 (iPhone; iOS 17.2)", "ShopApp/4.2.1 (Android 14; Pixel 8)", "ShopApp/4.1.0 (Android 13; SM-S911B)",
        "ShopApp/4.2.0 (iPhone; iOS 16.7)", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) Mobile/15E148",
    ];

    private static readonly string[] AttackAgents =
    [
        "python-requests/2.32.3", "curl/8.5.0", "Go-http-client/1.1", "okhttp/4.12.0", "Mozilla/5.0 (compatible; scanner)",
    ];

    private static readonly string[] SensitivePaths =
    [
        "/.env", "/.git/config", "/.git/HEAD", "/wp-admin/", "/wp-login.php", "/phpmyadmin/", "/.aws/credentials",
        "/server-status", "/actuator/env", "/config.json", "/backup.sql", "/admin.php", "/.DS_Store", "/xmlrpc.php",
        "/.svn/entries", "/cgi-bin/test.cgi", "/debug/vars", "/console",
    ];

    private static readonly string[] ScanWords =
    [
        "admin", "login.php", "test", "old", "api/v1", "api/v2/users", "dashboard", "manager/html", "shell", "upload",
        "backup", "db", "portal", "private", "secret", "tmp", "info.php", "status", "metrics", "graphql",
    ];

    private static readonly string[] InjectionCategories = ["sqli", "xss", "path_traversal", "command_injection", "ssrf"];

    private static readonly string[] UndocumentedPaths = ["/api/internal/export", "/api/v0/users", "/api/debug/config", "/api/internal/metrics"];

    private readonly TrafficOptions _o;
    private readonly Random _r;
    private readonly List<PlannedRequest> _plan = [];
    private int _ipCounter;

    public TrafficPlanner(TrafficOptions options)
    {
        _o = options;
        _r = new Random(options.Seed);
    }

    public List<PlannedRequest> Plan()
    {
        for (var i = 0; i < _o.BrowsingUsers; i++)
        {
            BrowsingUser(NextIp("10"), $"user{i}", Pick(BrowserAgents), StartWithin(TimeSpan.FromMinutes(4)), "browser", TrafficLabels.Benign, null);
        }

        for (var n = 0; n < _o.NatGroups; n++)
        {
            Nat(NextIp("100.64"), n);
        }

        for (var i = 0; i < _o.BatchIntegrations; i++)
        {
            Batch(NextIp("172.16"), i);
        }

        for (var i = 0; i < _o.Crawlers; i++)
        {
            Crawler(NextIp("66.249"), i);
        }

        if (!_o.BenignOnly)
        {
            Attacks();
        }

        // Planned last so the populations above draw the same random numbers with or without them.
        if (_o.Stealthy)
        {
            StealthyLookAlikes();
            if (!_o.BenignOnly)
            {
                StealthyAttacks();
            }
        }

        // Stable order: by time, ties by plan order.
        return [.. _plan.Select((p, i) => (p, i)).OrderBy(x => x.p.At).ThenBy(x => x.i).Select(x => x.p)];
    }

    private bool Wants(string attackClass) => _o.AttackClasses.Count == 0 || _o.AttackClasses.Contains(attackClass);

    private void Attacks()
    {
        var n = _o.AttackersPerClass;
        for (var i = 0; i < n; i++)
        {
            if (Wants(AlertTypes.BruteForce))
            {
                BruteForce(AttackerIp("198.18"), fast: true, i);
            }

            if (Wants(AlertTypes.CredentialStuffing))
            {
                Stuffing(AttackerIp("198.18"), fast: true, i);
            }

            if (Wants(AlertTypes.Enumeration))
            {
                Enumeration(AttackerIp("198.18"), i % 2 == 0 ? "sequential" : "bola", i);
            }

            if (Wants(AlertTypes.Scraping))
            {
                Scraping(AttackerIp("198.18"), i);
            }

            if (Wants(AlertTypes.Flood))
            {
                Flood(AttackerIp("198.18"), i);
            }

            if (Wants(AlertTypes.Injection))
            {
                Injection(AttackerIp("198.18"), fast: true, i);
            }

            if (Wants(AlertTypes.Scanning))
            {
                Scanning(AttackerIp("198.18"), fast: true, i);
            }

            if (Wants(AlertTypes.ShadowApi))
            {
                Shadow(AttackerIp("198.18"), i);
            }
        }

        if (_o.LowAndSlow)
        {
            var slow = Math.Max(1, n / 2);
            for (var i = 0; i < slow; i++)
            {
                if (Wants(AlertTypes.BruteForce))
                {
                    BruteForce(AttackerIp("198.19"), fast: false, i);
                }

                if (Wants(AlertTypes.CredentialStuffing))
                {
                    Stuffing(AttackerIp("198.19"), fast: false, i);
                }

                if (Wants(AlertTypes.Enumeration))
                {
                    Enumeration(AttackerIp("198.19"), "slow", i);
                }

                if (Wants(AlertTypes.Injection))
                {
                    Injection(AttackerIp("198.19"), fast: false, i);
                }

                if (Wants(AlertTypes.Scanning))
                {
                    Scanning(AttackerIp("198.19"), fast: false, i);
                }
            }
        }

        if (_o.Distributed && Wants(AlertTypes.CredentialStuffing))
        {
            DistributedStuffing();
        }
    }

    // ---- benign ----

    private void BrowsingUser(string ip, string user, string agent, TimeSpan start, string actor, string label, string? attackClass, bool mobile = false)
    {
        var t = start;
        Add(t, ip, "POST", "/api/login", "/api/login", "login", actor, label, attackClass, user: user, passwordOk: true, agent: agent,
            typo: _r.NextDouble() < 0.08);
        var actions = _r.Next(8, 30);
        for (var a = 0; a < actions; a++)
        {
            t += TimeSpan.FromSeconds(0.4 + Exp(mobile ? 6 : 4));
            var roll = _r.NextDouble();
            if (roll < 0.5)
            {
                var id = Popular();
                Add(t, ip, "GET", $"/api/items/{id}", "/api/items/{id}", "items", actor, label, attackClass, Credential.ApiKey, "web-frontend", agent: agent);
            }
            else if (roll < 0.68)
            {
                Add(t, ip, "GET", $"/api/orders/{OrderId(user)}", "/api/orders/{id}", "orders-get", actor, label, attackClass, Credential.Jwt, user: user, agent: agent);
            }
            else if (roll < 0.78)
            {
                Add(t, ip, "POST", "/api/orders", "/api/orders", "orders-post", actor, label, attackClass, Credential.Jwt, user: user, agent: agent);
            }
            else if (roll < 0.92)
            {
                Add(t, ip, "GET", "/api/status", "/api/status", "status", actor, label, attackClass, agent: agent);
            }
            else if (roll < 0.97)
            {
                // Stale links: items that no longer exist.
                Add(t, ip, "GET", $"/api/items/{_r.Next(1001, 1100)}", "/api/items/{id}", "items", actor, label, attackClass, Credential.ApiKey, "web-frontend", agent: agent);
            }
            else
            {
                Add(t, ip, "GET", "/favicon.ico", null, null, actor, label, attackClass, agent: agent);
            }
        }
    }

    private void Nat(string ip, int n)
    {
        // Many users behind one carrier address: sessions overlap, agents differ, a few typos,
        // an old app version calling a retired endpoint, one search that trips inspection.
        // Carrier NATs differ in size: half to one and a half times the configured mean.
        var users = Math.Max(1, (int)(_o.UsersPerNat * Uniform(0.5, 1.5)));
        for (var u = 0; u < users; u++)
        {
            BrowsingUser(ip, $"nat{n}-user{u}", Pick(MobileAgents), StartWithin(TimeSpan.FromMinutes(4)), $"nat-{n}", TrafficLabels.Benign, null, mobile: true);
        }

        var t = StartWithin(TimeSpan.FromMinutes(1));
        Add(t, ip, "GET", UndocumentedPaths[0], UndocumentedPaths[0], "undocumented", $"nat-{n}", TrafficLabels.Benign, null, agent: "ShopApp/3.0.0 (Android 10)", undocumented: true);
        Add(t + TimeSpan.FromSeconds(40), ip, "GET", UndocumentedPaths[0], UndocumentedPaths[0], "undocumented", $"nat-{n}", TrafficLabels.Benign, null, agent: "ShopApp/3.0.0 (Android 10)", undocumented: true);
        Add(t + TimeSpan.FromSeconds(90), ip, "GET", $"/api/items/{Popular()}", "/api/items/{id}", "items", $"nat-{n}", TrafficLabels.Benign, null, Credential.ApiKey, "web-frontend",
            agent: Pick(MobileAgents), injection: "sqli", query: "q=o'brien");
    }

    private void Batch(string ip, int i)
    {
        // A stock-sync integration: steady 8–14 requests/s for ten minutes, over a fixed set of items.
        var hot = Enumerable.Range(0, 20).Select(_ => _r.Next(1, 1001)).ToArray();
        var gap = Uniform(0.07, 0.12);
        var t = StartWithin(TimeSpan.FromMinutes(10));
        var end = t + TimeSpan.FromMinutes(10);
        var actor = $"batch-{i}";
        while (t < end)
        {
            t += TimeSpan.FromSeconds(gap * Uniform(0.85, 1.15));
            Add(t, ip, "GET", $"/api/items/{hot[_r.Next(hot.Length)]}", "/api/items/{id}", "items", actor, TrafficLabels.Benign, null, Credential.ApiKey, $"batch-sync-{i}", agent: "StockSync/2.3 (+https://partner.example)");
        }
    }

    private void Crawler(string ip, int i)
    {
        // A search-engine crawler: slow, regular, many distinct pages, and many 404s (no pages here).
        var t = StartWithin(TimeSpan.FromMinutes(2));
        var end = _o.Duration;
        var actor = $"crawler-{i}";
        var page = 0;
        while (t < end)
        {
            t += TimeSpan.FromSeconds(Uniform(2.5, 4.5));
            var roll = _r.NextDouble();
            var (path, template) = roll switch
            {
                < 0.05 => ("/robots.txt", (string?)null),
                < 0.1 => ("/sitemap.xml", null),
                < 0.35 => ("/api/status", "/api/status"),
                _ => ($"/products/item-{page++}", null),
            };
            Add(t, ip, "GET", path, template, template is null ? null : "status", actor, TrafficLabels.Benign, null,
                agent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
        }
    }

    // ---- attacks ----

    private void BruteForce(string ip, bool fast, int i)
    {
        var actor = $"brute_force-{(fast ? "fast" : "slow")}-{i}";
        var target = i % 2 == 0 ? "alice" : "bob";
        var t = StartWithin(fast ? TimeSpan.FromMinutes(2) : TimeSpan.FromMinutes(13));
        var count = fast ? 60 : 50;
        var agent = Pick(AttackAgents);
        for (var k = 0; k < count; k++)
        {
            t += TimeSpan.FromSeconds(fast ? Uniform(0.3, 0.7) : Uniform(10, 14));
            Add(t, ip, "POST", "/api/login", "/api/login", "login", actor, TrafficLabels.Attack, AlertTypes.BruteForce, user: target, passwordOk: false, agent: agent);
        }
    }

    private void Stuffing(string ip, bool fast, int i)
    {
        var actor = $"credential_stuffing-{(fast ? "fast" : "slow")}-{i}";
        var t = StartWithin(fast ? TimeSpan.FromMinutes(2) : TimeSpan.FromMinutes(13));
        var count = fast ? 80 : 45;
        var agent = Pick(BrowserAgents);
        for (var k = 0; k < count; k++)
        {
            t += TimeSpan.FromSeconds(fast ? Uniform(0.2, 0.5) : Uniform(12, 18));
            Add(t, ip, "POST", "/api/login", "/api/login", "login", actor, TrafficLabels.Attack, AlertTypes.CredentialStuffing,
                user: $"leaked{_r.Next(1_000_000)}@mail.example", passwordOk: false, agent: agent);
        }
    }

    private void DistributedStuffing()
    {
        // A botnet: 30 addresses, five guesses each within four minutes, every guess a new identifier.
        var start = StartWithin(TimeSpan.FromMinutes(5));
        for (var b = 0; b < 30; b++)
        {
            var ip = NextIp("198.20");
            var agent = Pick(BrowserAgents);
            for (var k = 0; k < 5; k++)
            {
                var t = start + TimeSpan.FromSeconds(_r.NextDouble() * 240);
                Add(t, ip, "POST", "/api/login", "/api/login", "login", $"credential_stuffing-distributed-{b}", TrafficLabels.Attack, AlertTypes.CredentialStuffing,
                    user: $"leaked{_r.Next(1_000_000)}@mail.example", passwordOk: false, agent: agent);
            }
        }
    }

    private void Enumeration(string ip, string variant, int i)
    {
        var actor = $"enumeration-{variant}-{i}";
        var slow = variant == "slow";
        var t = StartWithin(slow ? TimeSpan.FromMinutes(14) : TimeSpan.FromMinutes(2));
        var agent = Pick(AttackAgents);
        if (variant == "bola")
        {
            var user = i % 2 == 0 ? "alice" : "bob";
            Add(t, ip, "POST", "/api/login", "/api/login", "login", actor, TrafficLabels.Attack, AlertTypes.Enumeration, user: user, passwordOk: true, agent: agent);
            for (var k = 0; k < 120; k++)
            {
                t += TimeSpan.FromSeconds(Uniform(0.2, 0.4));
                Add(t, ip, "GET", $"/api/orders/{_r.Next(1, 100_000)}", "/api/orders/{id}", "orders-get", actor, TrafficLabels.Attack, AlertTypes.Enumeration,
                    Credential.Jwt, user: user, agent: agent, own: false);
            }

            return;
        }

        var id = _r.Next(850, 950);
        var count = slow ? 160 : 150;
        for (var k = 0; k < count; k++)
        {
            t += TimeSpan.FromSeconds(slow ? Uniform(3, 4.5) : Uniform(0.15, 0.25));
            Add(t, ip, "GET", $"/api/items/{id++}", "/api/items/{id}", "items", actor, TrafficLabels.Attack, AlertTypes.Enumeration, Credential.ApiKey, "demo-reader", agent: agent);
        }
    }

    private void Scraping(string ip, int i)
    {
        var actor = $"scraping-{i}";
        var t = StartWithin(TimeSpan.FromMinutes(3));
        var agent = Pick(BrowserAgents);
        for (var k = 0; k < 400; k++)
        {
            t += TimeSpan.FromSeconds(Uniform(0.18, 0.22));
            Add(t, ip, "GET", $"/api/items/{_r.Next(1, 1001)}", "/api/items/{id}", "items", actor, TrafficLabels.Attack, AlertTypes.Scraping, Credential.ApiKey, "demo-reader", agent: agent);
        }
    }

    private void Flood(string ip, int i)
    {
        var actor = $"flood-{i}";
        var t = StartWithin(TimeSpan.FromMinutes(1));
        var agent = Pick(AttackAgents);
        // About 130 requests/s for half a minute.
        for (var k = 0; k < 4000; k++)
        {
            t += TimeSpan.FromSeconds(Uniform(0.005, 0.01));
            Add(t, ip, "GET", "/api/status", "/api/status", "status", actor, TrafficLabels.Attack, AlertTypes.Flood, agent: agent);
        }
    }

    private void Injection(string ip, bool fast, int i)
    {
        var actor = $"injection-{(fast ? "fast" : "slow")}-{i}";
        var t = StartWithin(fast ? TimeSpan.FromMinutes(2) : TimeSpan.FromMinutes(12));
        var agent = Pick(AttackAgents);
        var count = fast ? 30 : 14;
        for (var k = 0; k < count; k++)
        {
            t += TimeSpan.FromSeconds(fast ? Uniform(1, 3) : Uniform(35, 45));
            var category = fast && _r.NextDouble() < 0.4 ? null : InjectionCategories[_r.Next(InjectionCategories.Length)];
            Add(t, ip, "GET", $"/api/items/{_r.Next(1, 1001)}", "/api/items/{id}", "items", actor, TrafficLabels.Attack, AlertTypes.Injection,
                Credential.ApiKey, "demo-reader", agent: agent, injection: category, query: category is null ? null : Payload(category));
        }
    }

    private void Scanning(string ip, bool fast, int i)
    {
        var actor = $"scanning-{(fast ? "fast" : "slow")}-{i}";
        var t = StartWithin(fast ? TimeSpan.FromMinutes(2) : TimeSpan.FromMinutes(12));
        var agent = Pick(AttackAgents);
        var count = fast ? 80 : 16;
        for (var k = 0; k < count; k++)
        {
            t += TimeSpan.FromSeconds(fast ? Uniform(0.1, 0.3) : Uniform(25, 35));
            var sensitive = !fast || _r.NextDouble() < 0.3;
            var path = sensitive ? SensitivePaths[_r.Next(SensitivePaths.Length)] : "/" + ScanWords[_r.Next(ScanWords.Length)];
            Add(t, ip, "GET", path, null, null, actor, TrafficLabels.Attack, AlertTypes.Scanning, agent: agent);
        }
    }

    private void Shadow(string ip, int i)
    {
        var actor = $"shadow_api-{i}";
        var t = StartWithin(TimeSpan.FromMinutes(3));
        var agent = Pick(AttackAgents);
        for (var k = 0; k < 20; k++)
        {
            t += TimeSpan.FromSeconds(Uniform(2, 6));
            var path = UndocumentedPaths[_r.Next(UndocumentedPaths.Length)];
            Add(t, ip, "GET", path, path, "undocumented", actor, TrafficLabels.Attack, AlertTypes.ShadowApi, agent: agent, undocumented: true);
        }
    }

    // ---- stealthy attacks and their look-alikes ----

    private void StealthyAttacks()
    {
        var n = _o.AttackersPerClass;
        for (var i = 0; i < n; i++)
        {
            if (Wants(AlertTypes.BruteForce))
            {
                LowAndSlowBruteForce(NextIp("198.51"), i);
            }

            if (Wants(AlertTypes.Scraping))
            {
                SlowScraper(NextIp("198.51"), i);
            }
        }

        for (var i = 0; i < Math.Max(1, n / 2); i++)
        {
            if (Wants(AlertTypes.CredentialStuffing))
            {
                Botnet(i);
            }
        }

        for (var i = 0; i < Math.Max(1, n / 4); i++)
        {
            if (Wants(AlertTypes.Scraping))
            {
                Ipv6Rotation(i);
            }
        }
    }

    private void LowAndSlowBruteForce(string ip, int i)
    {
        // One failed login every half minute or so, for an hour, on one account.
        var actor = $"brute_force-lowslow-{i}";
        var target = i % 2 == 0 ? "alice" : "bob";
        var agent = Pick(_r.NextDouble() < 0.5 ? AttackAgents : BrowserAgents);
        var t = StartWithin(TimeSpan.FromMinutes(60));
        var end = t + TimeSpan.FromMinutes(60);
        while (t < end)
        {
            t += TimeSpan.FromSeconds(Uniform(22, 38));
            Add(t, ip, "POST", "/api/login", "/api/login", "login", actor, TrafficLabels.Attack, AlertTypes.BruteForce, user: target, passwordOk: false, agent: agent);
        }
    }

    private void Botnet(int i)
    {
        // Tens of addresses in one /24, each with a handful of failures on leaked identifiers, over half an hour.
        var prefix = $"185.{220 + (i / 200)}.{i % 200}";
        var bots = _r.Next(40, 65);
        var hosts = Enumerable.Range(2, 250).OrderBy(_ => _r.Next()).Take(bots).ToArray();
        var start = StartWithin(TimeSpan.FromMinutes(35));
        for (var b = 0; b < bots; b++)
        {
            var ip = $"{prefix}.{hosts[b]}";
            var agent = Pick(BrowserAgents);
            var t = start + TimeSpan.FromSeconds(_r.NextDouble() * 1800);
            var guesses = _r.Next(3, 7);
            for (var k = 0; k < guesses; k++)
            {
                t += TimeSpan.FromSeconds(Uniform(20, 90));
                Add(t, ip, "POST", "/api/login", "/api/login", "login", $"credential_stuffing-botnet24-{i}-{b}", TrafficLabels.Attack, AlertTypes.CredentialStuffing,
                    user: $"leaked{_r.Next(1_000_000)}@mail.example", passwordOk: false, agent: agent);
            }
        }
    }

    private void Ipv6Rotation(int i)
    {
        // Four hundred addresses of one /64 in a quarter of an hour, each sending a few requests within a minute for random items.
        var prefix = $"2001:db8:{0xa00 + i:x}:{_r.Next(1, 0xffff):x}";
        var agent = Pick(BrowserAgents);
        var start = StartWithin(TimeSpan.FromMinutes(20));
        for (var k = 0; k < 400; k++)
        {
            var ip = $"{prefix}:{_r.Next(1, 0xffff):x}:{_r.Next(0, 0xffff):x}:{_r.Next(0, 0xffff):x}:{_r.Next(1, 0xffff):x}";
            var t = start + TimeSpan.FromSeconds((k * 900.0 / 400) + Uniform(0, 2));
            var requests = _r.Next(3, 6);
            for (var q = 0; q < requests; q++)
            {
                t += TimeSpan.FromSeconds(Uniform(2, 15));
                Add(t, ip, "GET", $"/api/items/{_r.Next(1, 1001)}", "/api/items/{id}", "items", $"scraping-ipv6rotation-{i}-{k}", TrafficLabels.Attack, AlertTypes.Scraping,
                    Credential.ApiKey, "demo-reader", agent: agent);
            }
        }
    }

    private void SlowScraper(string ip, int i)
    {
        // A browser agent, a distinct item every few seconds, for an hour.
        var actor = $"scraping-slow-{i}";
        var agent = Pick(BrowserAgents);
        var order = Enumerable.Range(1, 1000).OrderBy(_ => _r.Next()).ToArray();
        var t = StartWithin(TimeSpan.FromMinutes(60));
        var end = t + TimeSpan.FromMinutes(60);
        var k = 0;
        while (t < end && k < order.Length)
        {
            t += TimeSpan.FromSeconds(Uniform(3, 7));
            Add(t, ip, "GET", $"/api/items/{order[k++]}", "/api/items/{id}", "items", actor, TrafficLabels.Attack, AlertTypes.Scraping, Credential.ApiKey, "demo-reader", agent: agent);
        }
    }

    private void StealthyLookAlikes()
    {
        for (var n = 0; n < _o.CarrierNats; n++)
        {
            // Carrier-grade NAT: four times a NAT's users behind one address, over an hour.
            var ip = NextIp("100.72");
            for (var u = 0; u < _o.UsersPerNat * 4; u++)
            {
                BrowsingUser(ip, $"cgnat{n}-user{u}", Pick(MobileAgents), StartWithin(TimeSpan.FromMinutes(60)), $"cgnat-{n}", TrafficLabels.Benign, null, mobile: true);
            }
        }

        for (var i = 0; i < _o.Universities; i++)
        {
            // A university /24: 150 addresses, each its own user, some coming back later.
            var prefix = $"131.{100 + i}.7";
            for (var h = 1; h <= 150; h++)
            {
                var sessions = _r.NextDouble() < 0.3 ? 2 : 1;
                for (var s = 0; s < sessions; s++)
                {
                    BrowsingUser($"{prefix}.{h}", $"student{i}-{h}", Pick(BrowserAgents), StartWithin(TimeSpan.FromMinutes(60)), $"university-{i}", TrafficLabels.Benign, null);
                }
            }
        }

        for (var i = 0; i < _o.Ipv6Homes; i++)
        {
            // An IPv6 home: a few devices, each taking a new privacy address for every session.
            var prefix = $"2001:db8:{0xb00 + i:x}:{_r.Next(1, 0xffff):x}";
            var devices = _r.Next(2, 6);
            for (var d = 0; d < devices; d++)
            {
                var agent = Pick(_r.NextDouble() < 0.5 ? BrowserAgents : MobileAgents);
                for (var s = 0; s < 3; s++)
                {
                    var ip = $"{prefix}:{_r.Next(1, 0xffff):x}:{_r.Next(0, 0xffff):x}:{_r.Next(0, 0xffff):x}:{_r.Next(1, 0xffff):x}";
                    BrowsingUser(ip, $"home{i}-{d}", agent, StartWithin(TimeSpan.FromMinutes(60)), $"ipv6home-{i}", TrafficLabels.Benign, null, mobile: agent.StartsWith("ShopApp", StringComparison.Ordinal));
                }
            }
        }

        for (var i = 0; i < _o.SlowPollers; i++)
        {
            // An integration that polls the same few items every half minute, for as long as it runs.
            var ip = NextIp("172.20");
            var items = Enumerable.Range(0, 5).Select(_ => _r.Next(1, 1001)).ToArray();
            var t = TimeSpan.FromSeconds(_r.NextDouble() * 30);
            while (t < _o.Duration)
            {
                foreach (var item in items)
                {
                    Add(t, ip, "GET", $"/api/items/{item}", "/api/items/{id}", "items", $"slowpoller-{i}", TrafficLabels.Benign, null, Credential.ApiKey, $"inventory-poller-{i}", agent: "InventoryPoller/1.4");
                    t += TimeSpan.FromSeconds(Uniform(0.05, 0.2));
                }

                t += TimeSpan.FromSeconds(Uniform(25, 35));
            }
        }

        for (var i = 0; i < _o.Probes; i++)
        {
            // A monitoring probe: the status route every ten seconds, to the millisecond.
            var ip = NextIp("172.21");
            for (var t = TimeSpan.FromSeconds(_r.NextDouble() * 10); t < _o.Duration; t += TimeSpan.FromSeconds(Uniform(9.98, 10.02)))
            {
                Add(t, ip, "GET", "/api/status", "/api/status", "status", $"probe-{i}", TrafficLabels.Benign, null, agent: "UptimeRobot/2.0 (+http://www.uptimerobot.com/)");
            }
        }

        for (var i = 0; i < _o.Typists; i++)
        {
            // A person who mistypes the password a few times before logging in, a few times over the day.
            var ip = NextIp("10.200");
            var user = $"typist{i}";
            var agent = Pick(BrowserAgents);
            var sessions = _r.Next(2, 5);
            for (var s = 0; s < sessions; s++)
            {
                var t = StartWithin(TimeSpan.FromMinutes(5));
                var typos = _r.Next(1, 4);
                for (var k = 0; k < typos; k++)
                {
                    Add(t, ip, "POST", "/api/login", "/api/login", "login", $"typist-{i}", TrafficLabels.Benign, null, user: user, passwordOk: false, agent: agent);
                    t += TimeSpan.FromSeconds(Uniform(4, 15));
                }

                Add(t, ip, "POST", "/api/login", "/api/login", "login", $"typist-{i}", TrafficLabels.Benign, null, user: user, passwordOk: true, agent: agent);
                for (var a = 0; a < _r.Next(2, 8); a++)
                {
                    t += TimeSpan.FromSeconds(1 + Exp(5));
                    Add(t, ip, "GET", $"/api/orders/{OrderId(user)}", "/api/orders/{id}", "orders-get", $"typist-{i}", TrafficLabels.Benign, null, Credential.Jwt, user: user, agent: agent);
                }
            }
        }
    }

    // ---- helpers ----

    private void Add(TimeSpan at, string ip, string method, string path, string? template, string? routeId, string actor, string label, string? attackClass,
        Credential credential = Credential.None, string? keyId = null, string? user = null, bool passwordOk = false, string? agent = null,
        string? injection = null, string? query = null, bool undocumented = false, bool own = true, bool typo = false)
    {
        if (typo)
        {
            // A mistyped password first, then the right one a few seconds later.
            Add(at, ip, method, path, template, routeId, actor, label, attackClass, credential, keyId, user, passwordOk: false, agent);
            at += TimeSpan.FromSeconds(Uniform(3, 8));
        }

        _plan.Add(new PlannedRequest
        {
            At = at,
            Ip = ip,
            Method = method,
            Path = path,
            Query = query,
            Template = template,
            RouteId = routeId,
            Credential = credential,
            KeyId = keyId,
            User = user,
            PasswordOk = passwordOk,
            UserAgent = agent,
            Injection = injection,
            Undocumented = undocumented,
            OwnResource = own,
            Label = label,
            AttackClass = attackClass,
            Actor = actor,
        });
    }

    private string NextIp(string prefix)
    {
        var n = ++_ipCounter;
        return !prefix.Contains('.', StringComparison.Ordinal)
            ? $"{prefix}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
            : $"{prefix}.{(n >> 8) & 255}.{n & 255}";
    }

    /// <summary>An address in a /24 of its own: unrelated attackers do not share a range, so a range decision on one never takes credit for another.</summary>
    private string AttackerIp(string prefix)
    {
        var n = ++_ipCounter;
        return $"{prefix}.{n & 255}.{1 + ((n >> 8) & 127)}";
    }

    private TimeSpan StartWithin(TimeSpan length)
    {
        // Short runs (the demo) still spread actors over at least half the span instead of starting everyone at once.
        var room = Math.Max((_o.Duration - length).TotalSeconds, _o.Duration.TotalSeconds / 2);
        return TimeSpan.FromSeconds(_r.NextDouble() * room);
    }

    private double Exp(double mean) => -mean * Math.Log(1 - _r.NextDouble());

    private double Uniform(double a, double b) => a + (_r.NextDouble() * (b - a));

    private T Pick<T>(T[] items) => items[_r.Next(items.Length)];

    // Item popularity is skewed: most views go to a few hundred items.
    private int Popular() => Math.Min(1000, 1 + (int)Exp(150));

    private int OrderId(string user) => 1 + (int)(Sketch.Hash(user) % 500) + _r.Next(3);

    private static string Payload(string category) => category switch
    {
        "sqli" => "q=1' OR '1'='1",
        "xss" => "q=<script>alert(1)</script>",
        "path_traversal" => "file=../../../../etc/passwd",
        "command_injection" => "q=;cat /etc/passwd",
        _ => "url=http://169.254.169.254/latest/meta-data/",
    };
}
