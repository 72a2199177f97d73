using Analytics.Analyzer.Decisions;
using Analytics.Detection;
using Analytics.Detection.Decisions;
using Analytics.Detection.Model;
using Analytics.ServiceDefaults.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Analytics.Analyzer;

/// <summary>Analyzer endpoints on the admin listener (token required): stats, and the allowlist (list, add, delete).</summary>
internal sealed class AnalyzerAdminEndpoints : IAdminEndpoints
{
    // Services are resolved per request, not at construction: the admin listener builds its
    // contributors before the host validates options, and a bad option must surface as a clear
    // configuration error from the host, not as a failure here.
    public void MapEndpoints(IEndpointRouteBuilder admin)
    {
        admin.MapGet("/analyzer/stats", (AnalyzerPipeline pipeline, DecisionLedger ledger, ModelHolder model, Decisions.DetectionMetrics detections) =>
        {
            Dictionary<string, object?> stats;
            lock (pipeline)
            {
                stats = new Dictionary<string, object?>
                {
                    ["events"] = pipeline.Events,
                    ["tracked_entities"] = pipeline.Store.TrackedEntities,
                    ["late_events"] = pipeline.Store.LateEvents,
                    ["evicted"] = pipeline.Store.Evicted,
                    ["decisions_in_force"] = ledger.Count,
                    ["decisions_capped"] = pipeline.Decisions.Capped,
                    ["suppressed_by_allowlist"] = pipeline.Decisions.Suppressed,
                    ["model"] = model.Current?.Card.Name,
                    ["model_swaps"] = model.Swaps,
                    ["detections"] = detections.ByDetector(),
                };
            }

            return Results.Json(stats);
        });
        admin.MapPost("/analyzer/allowlist", async (AllowlistEntry entry, AnalyzerPipeline pipeline, Search.AuditTrail audit, HttpContext http) =>
        {
            if (!Messaging.DecisionScopes.IsKnown(entry.Scope) || string.IsNullOrWhiteSpace(entry.Value)
                || (entry.Scope == Messaging.DecisionScopes.Cidr && !System.Net.IPNetwork.TryParse(entry.Value, out _)))
            {
                return Results.Problem(statusCode: 400, title: "Invalid allowlist entry", detail: "scope must be ip, cidr, api_key or subject, with a value");
            }

            pipeline.Decisions.Allowlist.Add(entry);
            var credential = AdminListener.AuditChange(http, "allowlist-added", entry.Scope + ":" + entry.Value);
            await audit.RecordAsync("allowlist-added", credential, entry.Scope, entry.Value, null, http.RequestAborted);
            return Results.Ok(new { count = pipeline.Decisions.Allowlist.Count });
        }).RequireAdminRole(AdminRole.Operator);
        admin.MapGet("/analyzer/allowlist", (AnalyzerPipeline pipeline) => Results.Json(pipeline.Decisions.Allowlist.Entries()));
        // Query parameters, not a path: a CIDR value carries a slash.
        admin.MapDelete("/analyzer/allowlist", async (string? scope, string? value, AnalyzerPipeline pipeline, Search.AuditTrail audit, HttpContext http) =>
        {
            if (string.IsNullOrWhiteSpace(scope) || string.IsNullOrWhiteSpace(value))
            {
                return Results.Problem(statusCode: 400, title: "Invalid allowlist entry", detail: "give scope and value as query parameters");
            }

            if (!pipeline.Decisions.Allowlist.Remove(scope, value))
            {
                return Results.Problem(statusCode: 404, title: "Not found", detail: "no allowlist entry has this scope and value");
            }

            var credential = AdminListener.AuditChange(http, "allowlist-removed", scope + ":" + value);
            await audit.RecordAsync("allowlist-removed", credential, scope, value, null, http.RequestAborted);
            return Results.NoContent();
        }).RequireAdminRole(AdminRole.Operator);
    }
}
