using System.ClientModel;
using System.Net;
using System.Text.Json;
using Plumbline.Core;
using Plumbline.Models.Resilience;

namespace Plumbline.Models.OpenAi;

/// <summary>Turns what the OpenAI client throws into Plumbline's errors: transient ones are retried, the rest name the endpoint, the model and what to do.</summary>
internal sealed class OpenAiErrors(ModelSettings settings, bool keyIsSet, TimeProvider time)
{
    private string Where => $"{settings.Name} ({settings.Reference.Endpoint!.OriginalString})";

    public Exception Map(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException when !cancellationToken.IsCancellationRequested
            => new TransientModelException($"{Where}: no answer within {settings.Timeout.TotalSeconds:0.###} s", inner: e),
        ClientResultException { Status: 0 } c => Unreachable(c.InnerException ?? c),
        ClientResultException c => FromStatus(c),
        HttpRequestException h => Unreachable(h),
        JsonException or FormatException or InvalidOperationException or KeyNotFoundException or NullReferenceException
            => new TransientModelException($"{Where}: malformed response ({e.GetType().Name}: {e.Message})", inner: e),
        _ => e,
    };

    private PlumblineException Unreachable(Exception e)
        => new(FailureKind.Runtime, $"{Where}: cannot connect: {e.Message}", inner: e);

    private Exception FromStatus(ClientResultException e)
    {
        var status = e.Status;
        var raw = e.GetRawResponse();
        var detail = ServerMessage(raw?.Content?.ToString());
        var retryAfter = raw is not null && raw.Headers.TryGetValue("Retry-After", out var value) ? RetryPolicy.ParseRetryAfter(value, time.GetUtcNow()) : null;
        if (status is 429 or 408 || status >= 500)
        {
            return new TransientModelException($"{Where}: HTTP {status}{detail}", retryAfter, e);
        }

        if (status is 401 or 403)
        {
            var hint = keyIsSet
                ? $"the key in {settings.ApiKeyVariable} was refused"
                : $"set the API key in the environment variable {settings.ApiKeyVariable} (it is not set)";
            return new PlumblineException(FailureKind.BadInput, $"{Where}: HTTP {status}: {hint}{detail}", inner: e);
        }

        if (status == (int)HttpStatusCode.NotFound)
        {
            return new PlumblineException(FailureKind.NotFound, $"{Where}: HTTP 404: the endpoint does not serve model '{settings.Reference.Model}', or the base URL is wrong (OpenAI-compatible servers usually end in /v1){detail}", inner: e);
        }

        return new PlumblineException(FailureKind.Runtime, $"{Where}: HTTP {status}{detail}", inner: e);
    }

    /// <summary>": message" from an OpenAI error body {"error": {"message": ...}}, or the start of the body.</summary>
    internal static string ServerMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return string.Empty;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                {
                    return ": " + m.GetString();
                }

                if (error.ValueKind == JsonValueKind.String)
                {
                    return ": " + error.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // not JSON: show the start of it
        }

        var text = body.ReplaceLineEndings(" ").Trim();
        return ": " + (text.Length > 200 ? text[..200] + "…" : text);
    }
}
