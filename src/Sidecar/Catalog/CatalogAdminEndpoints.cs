using Analytics.ServiceDefaults.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Analytics.Sidecar.Catalog;

/// <summary><c>GET /catalog</c> (JSON) and <c>GET /catalog/openapi.json</c> (a downloadable OpenAPI 3 document) on the admin API.</summary>
internal sealed class CatalogAdminEndpoints(ApiCatalog catalog) : IAdminEndpoints
{
    public void MapEndpoints(IEndpointRouteBuilder admin)
    {
        admin.MapGet("/catalog", (HttpContext context) =>
            context.Response.WriteAsJsonAsync(catalog.Snapshot(), CatalogJsonContext.Default.CatalogSnapshot, cancellationToken: context.RequestAborted));
        admin.MapGet("/catalog/openapi.json", (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            context.Response.Headers.ContentDisposition = "attachment; filename=\"catalog-openapi.json\"";
            return context.Response.WriteAsync(CatalogOpenApiExporter.Export(catalog.Snapshot(), "Observed API"), context.RequestAborted);
        });
    }
}
