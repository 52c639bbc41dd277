using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.DataProtection;
using Plumbline.Server.Access;
using Plumbline.Server.Audit;
using Plumbline.Server.Contributors;
using Plumbline.Server.Documents;
using Plumbline.Server.Errors;
using Plumbline.Server.Exports;
using Plumbline.Server.Meetings;
using Plumbline.Server.Ui;
using Plumbline.Storage;
using Plumbline.Storage.Access;
using Plumbline.Storage.Consent;

namespace Plumbline.Server.Hosting;

/// <summary>The team server: <c>plumb serve</c> hosts it; tests start it on a free loopback port.</summary>
public static class PlumblineServer
{
    /// <summary>The API's JSON: snake_case, enums as strings, unknown fields and nulls for required fields refused.</summary>
    public static JsonSerializerOptions Json { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Builds the server on an open store (which the caller owns and disposes after the server stops).</summary>
    public static WebApplication Build(ServerOptions options, ITraceStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw Core.PlumblineException.BadInput(string.Join("; ", errors));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddPlumblineLogging();
        builder.WebHost.UseUrls(options.Urls).ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxRequestBytes);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.ConfigureHttpJsonOptions(j => Configure(j.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(r => r.ThrowOnBadRequest = true);
        builder.Services.AddPlumblineStore(store, time, new Storage.Audit.AuditLog(store, Storage.Keys.KeyLocation.For(options.Store, options.Keys), time));
        builder.Services.AddPlumblineProblems();
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider(); // nothing is protected with it; keeps keys off the disk
        builder.Services.AddTokenAuthentication();
        builder.Services.AddPlumblineOpenApi();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseUiFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi().AllowAnonymous();
        app.MapHealthApi();
        app.MapContributorsApi();
        app.MapMyDataApi();
        app.MapDocumentsApi();
        app.MapSharesApi();
        app.MapCommentaryApi();
        app.MapExportsApi();
        app.MapTokensApi();
        app.MapAuditApi();
        app.MapUiApi();
        Git.GitApi.MapGitApi(app);
        return app;
    }

    /// <summary>The addresses the server listens on, once started (with the real port when 0 was asked for).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
    }

    private static IServiceCollection AddPlumblineStore(this IServiceCollection services, ITraceStore store, TimeProvider time, Storage.Audit.AuditLog audit) =>
        services
            .AddSingleton(store)
            .AddSingleton(time)
            .AddSingleton(audit)
            .AddSingleton(new TokenService(store, time))
            .AddSingleton(new ContributorService(store, time))
            .AddSingleton(new DataReads(store, time, audit))
            .AddSingleton(new DataWrites(store, time))
            .AddSingleton(new Git.GitImports(store, time));

    private static IServiceCollection AddPlumblineOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Plumbline API";
            document.Info.Description = "Record research work with consent. Positions count Unicode code points. Authenticate with Authorization: Bearer TOKEN (plumb token create).";
            document.Components ??= new Microsoft.OpenApi.OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, Microsoft.OpenApi.IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["Bearer"] = new Microsoft.OpenApi.OpenApiSecurityScheme
            {
                Type = Microsoft.OpenApi.SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API token: plb_ID_SECRET",
            };
            document.Security = [new Microsoft.OpenApi.OpenApiSecurityRequirement { [new Microsoft.OpenApi.OpenApiSecuritySchemeReference("Bearer", document)] = [] }];
            return Task.CompletedTask;
        }));

    private static ILoggingBuilder AddPlumblineLogging(this ILoggingBuilder logging)
    {
        // stdout is for the serve command's own lines; the log goes to stderr, requests only when they fail.
        logging.ClearProviders();
        logging.AddSimpleConsole(c => c.SingleLine = true);
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(c => c.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(LogLevel.Warning);
        return logging;
    }

    private static JsonSerializerOptions Configure(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.DictionaryKeyPolicy = null;
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        json.RespectNullableAnnotations = true;
        json.RespectRequiredConstructorParameters = true;
        json.NumberHandling = JsonNumberHandling.Strict;
        json.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return json;
    }
}
