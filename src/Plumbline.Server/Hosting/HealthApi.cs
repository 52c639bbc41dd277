using Microsoft.AspNetCore.Http.HttpResults;
using Plumbline.Server.Contracts;

namespace Plumbline.Server.Hosting;

internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Health).WithTags("Health").WithName("Health").AllowAnonymous().WithSummary("Whether the server can reach its store (no token needed)");
        return app;
    }

    private static async Task<Ok<HealthResponse>> Health(Storage.ITraceStore store, CancellationToken ct)
    {
        await using (await store.OpenAsync(write: false, ct))
        {
        }

        return TypedResults.Ok(new HealthResponse("ok", typeof(HealthApi).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"));
    }
}
