using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Plumbline.Core;

namespace Plumbline.Server.Errors;

/// <summary>
/// The one place where failures become HTTP answers: ProblemDetails with a <c>kind</c> (bad_input,
/// unauthorized, forbidden, not_found, conflict, too_large, refused, runtime) that clients map to exit codes.
/// </summary>
internal sealed partial class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> log) : IExceptionHandler
{
    public const string KindKey = "kind";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail) = exception switch
        {
            PlumblineException e => (StatusOf(e), e.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (StatusCodes.Status413PayloadTooLarge, "the request body is larger than the server accepts (--max-request-bytes); split the batch"),
            BadHttpRequestException { InnerException: JsonException json } => (StatusCodes.Status400BadRequest, Describe(json)),
            BadHttpRequestException bad => (bad.StatusCode, BindFailure().Replace(bad.Message, "$1: '$2' is not a valid value here")),
            JsonException json => (StatusCodes.Status400BadRequest, Describe(json)),
            _ => (StatusCodes.Status500InternalServerError, "internal error; see the server log"),
        };
        if (status >= 500)
        {
            LogFailure(log, httpContext.Request.Method, httpContext.Request.Path, exception);
        }

        var problem = new ProblemDetails { Status = status, Detail = detail };
        problem.Extensions[KindKey] = exception is PlumblineException { Kind: FailureKind.Refused } ? "refused" : KindOf(status);
        if (exception is PlumblineException { Kind: FailureKind.Conflict } conflict && conflict.Data[PlumblineException.CurrentRevisionKey] is int current)
        {
            problem.Extensions[PlumblineException.CurrentRevisionKey] = current;
        }

        if (exception is PlumblineException { IsTransient: true })
        {
            problem.Extensions["transient"] = true;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static int StatusOf(PlumblineException e) => e.Kind switch
    {
        FailureKind.BadInput => StatusCodes.Status400BadRequest,
        FailureKind.NotFound => StatusCodes.Status404NotFound,
        FailureKind.Refused => StatusCodes.Status403Forbidden,
        FailureKind.Conflict => StatusCodes.Status409Conflict,
        _ when e.IsTransient => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    internal static string KindOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "bad_input",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status413PayloadTooLarge => "too_large",
        < 500 => "bad_input",
        _ => "runtime",
    };

    /// <summary>The JSON path first, then what was wrong there (the reader's own words, without its positions).</summary>
    private static string Describe(JsonException json)
    {
        var message = json.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        message = UnhelpfulType().Replace(message, "not a valid value here");
        message = MissingRequired().Replace(message, "missing required properties: $1");
        message = UnknownProperty().Replace(message, "unknown property '$1' (see /openapi/v1.json for the fields)");
        if (json.InnerException is { } inner && inner is not JsonException)
        {
            message = $"{message} ({inner.Message})";
        }

        return $"{json.Path ?? "$"}: {message}; nothing was stored";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^The JSON value could not be converted to [\w.]+\.?")]
    private static partial System.Text.RegularExpressions.Regex UnhelpfulType();

    [System.Text.RegularExpressions.GeneratedRegex(@"^JSON deserialization for type '[\w.]+' was missing required properties including: (.*?)\.?$")]
    private static partial System.Text.RegularExpressions.Regex MissingRequired();

    [System.Text.RegularExpressions.GeneratedRegex(@"^The JSON property '(.*)' could not be mapped to any \.NET member contained in type '[\w.]+'\.$")]
    private static partial System.Text.RegularExpressions.Regex UnknownProperty();

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"(?:[^\"]*\\s)?(\\w+)\" from \"(.*)\"\\.$")]
    private static partial System.Text.RegularExpressions.Regex BindFailure();

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, string method, string path, Exception exception);
}

internal static class ProblemSetup
{
    public static IServiceCollection AddPlumblineProblems(this IServiceCollection services) =>
        services
            .AddExceptionHandler<ProblemMapping>()
            .AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            {
                var details = context.ProblemDetails;
                if (!details.Extensions.ContainsKey(ProblemMapping.KindKey))
                {
                    details.Extensions[ProblemMapping.KindKey] = ProblemMapping.KindOf(details.Status ?? context.HttpContext.Response.StatusCode);
                }

                details.Detail ??= (details.Status ?? context.HttpContext.Response.StatusCode) switch
                {
                    StatusCodes.Status401Unauthorized => "a valid token is required: Authorization: Bearer TOKEN (plumb token create)",
                    StatusCodes.Status403Forbidden => "this token's role may not do this",
                    StatusCodes.Status404NotFound => "no such resource",
                    StatusCodes.Status413PayloadTooLarge => "the request body is larger than the server accepts (--max-request-bytes); split the batch",
                    StatusCodes.Status415UnsupportedMediaType => "send the body as application/json",
                    _ => null,
                };
            });
}
