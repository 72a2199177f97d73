using Analytics.Messaging;
using Analytics.Search.Archive;
using Analytics.Search.Ecs;
using Analytics.Search.Report;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Search.Tests.Report;

public sealed class ReportTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_generated_month_gives_the_numbers_of_its_events()
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        var random = new Random(7);
        long requests = 0, rejected = 0, authFailures = 0, sqli = 0, xss = 0, undocumented = 0;
        var rejectedByIp = new Dictionary<string, long>();
        using (var archive = new NdjsonArchive(new ArchiveOptions { Directory = _dir.Path, Fsync = false }, "default", time))
        {
            for (var day = 0; day < 30; day++)
            {
                var docs = new List<EcsDocument>();
                var perDay = 50 + random.Next(50);
                for (var i = 0; i < perDay; i++)
                {
                    var at = start.AddDays(day).AddMinutes(random.Next(24 * 60));
                    var ip = "198.51.100." + random.Next(1, 20);
                    var roll = random.Next(10);
                    RequestEvent e;
                    if (roll == 0)
                    {
                        e = Samples.Request(ip, at, status: 401, rejectedBy: RejectionReasons.Authentication, auth: new AuthInfo(AuthOutcomes.Failure, "invalid_credentials"));
                        authFailures++;
                    }
                    else if (roll == 1)
                    {
                        var cls = random.Next(2) == 0 ? "sqli" : "xss";
                        e = Samples.Request(ip, at, status: 403, rejectedBy: RejectionReasons.Inspection, inspection: new InspectionInfo { Score = 9, Action = "block", Rules = [cls + "-1"], Categories = [cls] });
                        _ = cls == "sqli" ? sqli++ : xss++;
                    }
                    else
                    {
                        e = Samples.Request(ip, at) with { Catalog = roll == 2 ? "undocumented" : "documented" };
                        undocumented += roll == 2 ? 1 : 0;
                    }

                    requests++;
                    if (e.RejectedBy != RejectionReasons.None)
                    {
                        rejected++;
                        rejectedByIp[ip] = rejectedByIp.GetValueOrDefault(ip) + 1;
                    }

                    docs.Add(RequestEventMapping.ToDocument(e, "default"));
                }

                if (day % 3 == 0)
                {
                    docs.Add(DecisionMapping.ToDocument("ip:198.51.100.1", Samples.Decision("rule:brute_force", at: start.AddDays(day).AddHours(12)), start, "default"));
                }

                if (day % 10 == 0)
                {
                    docs.Add(DecisionMapping.ToDocument("ip:198.51.100.2", Samples.Decision("manual", value: "198.51.100.2", at: start.AddDays(day).AddHours(13)), start, "default"));
                    docs.Add(DecisionMapping.ToDocument("ip:198.51.100.2", null, start.AddDays(day).AddHours(14), "default"));
                    docs.Add(AlertMapping.ToDocument(Samples.Alert(AlertTypes.ShadowApi, "route:/api/hidden", start.AddDays(day).AddHours(15)), "default"));
                }

                await archive.WriteAsync(docs, CancellationToken.None);
                time.Advance(TimeSpan.FromDays(1));
            }

            // December must not count.
            await archive.WriteAsync([RequestEventMapping.ToDocument(Samples.Request(at: new DateTimeOffset(2026, 12, 1, 0, 0, 1, TimeSpan.Zero)), "default")], CancellationToken.None);
        }

        var report = new ReportBuilder(_dir.Path).Build(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), start);

        Assert.Equal(requests, report.Requests);
        Assert.Equal(requests, report.Daily.Sum(d => d.Requests));
        Assert.Equal(30, report.Daily.Count);
        Assert.Equal(rejected, report.Rejected);
        Assert.Equal(authFailures, report.AuthenticationFailures);
        Assert.Equal(sqli + xss, report.InjectionFindings);
        Assert.Equal(sqli, report.InjectionByClass.Single(c => c.Label == "sqli").Value);
        Assert.Equal(xss, report.InjectionByClass.Single(c => c.Label == "xss").Value);
        Assert.Equal(10, report.AutomaticDecisions);
        Assert.Equal(3, report.ManualDecisions);
        Assert.Equal(3, report.DecisionsRemoved);
        Assert.Equal(13, report.Decisions.Count);
        Assert.Equal(3, report.AuditTrail.Count);
        Assert.All(report.AuditTrail, a => Assert.Equal("admin", a.Who));
        Assert.Equal(rejectedByIp.Values.Max(), report.TopOffenders[0].Value);
        Assert.Equal(undocumented, report.UndocumentedTraffic.Sum(c => c.Value));
        // Three sightings of one deduplicated alert count once.
        Assert.Equal(1, Assert.Single(report.AlertsByType).Value);
        Assert.Equal("route:/api/hidden", Assert.Single(report.ApiFindings).Entity);

        var html = HtmlReportWriter.Write(report);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal));
        Assert.Contains($"<b>{requests:N0}</b>requests", html);
    }

    [Fact]
    public void Decisions_with_a_kibana_link_get_an_investigate_column_and_only_web_links_become_anchors()
    {
        var at = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        var report = new ComplianceReport
        {
            From = new DateOnly(2026, 11, 1),
            To = new DateOnly(2026, 11, 30),
            Decisions =
            [
                new DecisionRow(at, "block", "ip:198.51.100.1", "rule:brute_force", null, null, null, false, "https://kibana.example.test/app/discover#/?_a=(query:'a&b')"),
                new DecisionRow(at, "block", "ip:198.51.100.2", "manual", null, null, null, false, "javascript:alert(1)"),
                new DecisionRow(at, "block", "ip:198.51.100.3", "manual", null, null, null, false),
            ],
        };

        var html = HtmlReportWriter.Write(report);

        Assert.Contains("<th>investigate</th>", html);
        Assert.Contains("<a href=\"https://kibana.example.test/app/discover#/?_a=(query:&#39;a&amp;b&#39;)\">Kibana</a>", html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<a href="));
        Assert.DoesNotContain("javascript:", html);
        Assert.DoesNotContain("<th>investigate</th>", HtmlReportWriter.Write(report with { Decisions = [report.Decisions[2]] }));
    }

    public void Dispose() => _dir.Dispose();
}
