using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Plumbline.Core;
using Plumbline.Server.Contracts;
using Plumbline.Server.Hosting;

namespace Plumbline.Server.Client;

/// <summary>
/// The typed client of the team server's API (the CLI's team mode, the tests). Failures come back as
/// <see cref="PlumblineException"/> with the server's ProblemDetails message and the matching kind.
/// </summary>
public sealed class PlumblineClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Uses <paramref name="http"/> as given (its BaseAddress is the server; its default headers carry the token).</summary>
    public PlumblineClient(HttpClient http, bool ownsHttp = false)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _ownsHttp = ownsHttp;
    }

    public static PlumblineClient Create(Uri server, string? token, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var http = new HttpClient { BaseAddress = server, Timeout = timeout ?? TimeSpan.FromMinutes(10) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return new PlumblineClient(http, ownsHttp: true);
    }

    public Uri? Server => _http.BaseAddress;

    public Task<HealthResponse> HealthAsync(CancellationToken ct) => GetAsync<HealthResponse>("health", ct);

    public Task<MeResponse> MeAsync(CancellationToken ct) => GetAsync<MeResponse>("api/me", ct);

    public Task<ContributorListResponse> ListContributorsAsync(CancellationToken ct) => GetAsync<ContributorListResponse>("api/contributors", ct);

    public Task<ContributorDto> AddContributorAsync(string name, CancellationToken ct) =>
        SendAsync<ContributorDto>(HttpMethod.Post, "api/contributors", new ContributorRequest(name), ct);

    public Task<ContributorDto> GetContributorAsync(string name, CancellationToken ct) => GetAsync<ContributorDto>($"api/contributors/{Escape(name)}", ct);

    public Task<ContributorDto> SetConsentAsync(string name, ConsentRequest request, CancellationToken ct) =>
        SendAsync<ContributorDto>(HttpMethod.Put, $"api/contributors/{Escape(name)}/consent", request, ct);

    public Task<ContributorDto> PauseAsync(string name, CancellationToken ct) =>
        SendAsync<ContributorDto>(HttpMethod.Post, $"api/contributors/{Escape(name)}/pause", null, ct);

    public Task<ContributorDto> ResumeAsync(string name, CancellationToken ct) =>
        SendAsync<ContributorDto>(HttpMethod.Post, $"api/contributors/{Escape(name)}/resume", null, ct);

    public Task<TermsResponse> TermsAsync(string name, CancellationToken ct) => GetAsync<TermsResponse>($"api/contributors/{Escape(name)}/terms", ct);

    public Task<TermsResponse> AddTermsAsync(string name, IReadOnlyList<string> terms, CancellationToken ct) =>
        SendAsync<TermsResponse>(HttpMethod.Post, $"api/contributors/{Escape(name)}/terms", new TermsRequest(terms), ct);

    public Task<TermsResponse> RemoveTermAsync(string name, string term, CancellationToken ct) =>
        SendAsync<TermsResponse>(HttpMethod.Delete, $"api/contributors/{Escape(name)}/terms/{Escape(term)}", null, ct);

    public Task<ContributorSummaryResponse> SummaryAsync(string name, CancellationToken ct) =>
        GetAsync<ContributorSummaryResponse>($"api/contributors/{Escape(name)}/summary", ct);

    public Task<WithdrawResponse> WithdrawAsync(string name, WithdrawRequest request, CancellationToken ct) =>
        SendAsync<WithdrawResponse>(HttpMethod.Post, $"api/contributors/{Escape(name)}/withdraw", request, ct);

    public Task<RedactionResponse> RedactAsync(string name, RedactionRequest request, CancellationToken ct) =>
        SendAsync<RedactionResponse>(HttpMethod.Post, $"api/contributors/{Escape(name)}/redactions", request, ct);

    public Task<RedactionListResponse> RedactionsAsync(string name, CancellationToken ct) =>
        GetAsync<RedactionListResponse>($"api/contributors/{Escape(name)}/redactions", ct);

    public Task<DocumentListResponse> ListDocumentsAsync(CancellationToken ct) => GetAsync<DocumentListResponse>("api/documents", ct);

    public Task<ShareListResponse> ListSharesAsync(string document, CancellationToken ct) =>
        GetAsync<ShareListResponse>($"api/documents/{Escape(document)}/shares", ct);

    public Task<ShareDto> ShareAsync(string document, ShareRequest request, CancellationToken ct) =>
        SendAsync<ShareDto>(HttpMethod.Post, $"api/documents/{Escape(document)}/shares", request, ct);

    public Task<ShareDto> RevokeShareAsync(string document, string contributor, CancellationToken ct) =>
        SendAsync<ShareDto>(HttpMethod.Delete, $"api/documents/{Escape(document)}/shares/{Escape(contributor)}", null, ct);

    public Task<DocumentDto> GetDocumentAsync(string name, CancellationToken ct) => GetAsync<DocumentDto>($"api/documents/{Escape(name)}", ct);

    /// <summary>The document, or null when there is none the caller may see.</summary>
    public async Task<DocumentDto?> FindDocumentAsync(string name, CancellationToken ct)
    {
        try
        {
            return await GetDocumentAsync(name, ct);
        }
        catch (PlumblineException e) when (e.Kind == FailureKind.NotFound)
        {
            return null;
        }
    }

    public Task<ReplayResponse> ReplayAsync(string name, int? revision, DateTimeOffset? time, CancellationToken ct)
    {
        var query = revision is { } r ? $"?revision={r.ToString(CultureInfo.InvariantCulture)}"
            : time is { } t ? $"?time={Uri.EscapeDataString(t.ToString("O", CultureInfo.InvariantCulture))}"
            : "";
        return GetAsync<ReplayResponse>($"api/documents/{Escape(name)}/text{query}", ct);
    }

    public Task<EditBatchResponse> PostBatchAsync(string document, EditBatchRequest batch, CancellationToken ct) =>
        SendAsync<EditBatchResponse>(HttpMethod.Post, $"api/documents/{Escape(document)}/batches", batch, ct);

    public Task<CommentListResponse> ListCommentsAsync(string document, int? revision, CancellationToken ct) =>
        GetAsync<CommentListResponse>($"api/documents/{Escape(document)}/comments" + (revision is { } r ? $"?revision={r.ToString(CultureInfo.InvariantCulture)}" : ""), ct);

    public Task<EventResultResponse> AddCommentAsync(string document, CommentRequest comment, CancellationToken ct) =>
        SendAsync<EventResultResponse>(HttpMethod.Post, $"api/documents/{Escape(document)}/comments", comment, ct);

    public Task<EventResultResponse> ResolveCommentAsync(long id, CancellationToken ct) =>
        SendAsync<EventResultResponse>(HttpMethod.Post, $"api/comments/{id.ToString(CultureInfo.InvariantCulture)}/resolve", null, ct);

    public Task<EventListResponse> EventsAsync(string? document, long after, int limit, CancellationToken ct) =>
        GetAsync<EventListResponse>(
            $"api/events?after={after.ToString(CultureInfo.InvariantCulture)}&limit={limit.ToString(CultureInfo.InvariantCulture)}" + (document is null ? "" : $"&document={Uri.EscapeDataString(document)}"),
            ct);

    /// <summary>A page of the event log after <paramref name="cursor"/> (null: from the start); pass back the page's cursor.</summary>
    public Task<EventListResponse> EventPageAsync(string? document, string? cursor, int limit, CancellationToken ct) =>
        GetAsync<EventListResponse>(
            $"api/events?limit={limit.ToString(CultureInfo.InvariantCulture)}" +
            (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}") +
            (document is null ? "" : $"&document={Uri.EscapeDataString(document)}"),
            ct);

    public Task<EventResultResponse> AddNoteAsync(NoteRequest note, CancellationToken ct) =>
        SendAsync<EventResultResponse>(HttpMethod.Post, "api/notes", note, ct);

    public Task<TranscriptResponse> PostTranscriptAsync(string meeting, TranscriptRequest transcript, CancellationToken ct) =>
        SendAsync<TranscriptResponse>(HttpMethod.Post, $"api/meetings/{Escape(meeting)}/transcripts", transcript, ct);

    public Task<ExportResponse> ExportTracesAsync(string use, CancellationToken ct) =>
        SendAsync<ExportResponse>(HttpMethod.Post, "api/exports/traces", new ExportRequest(use), ct);

    public Task<TokenListResponse> ListTokensAsync(CancellationToken ct) => GetAsync<TokenListResponse>("api/tokens", ct);

    public Task<TokenCreatedResponse> CreateTokenAsync(TokenRequest request, CancellationToken ct) =>
        SendAsync<TokenCreatedResponse>(HttpMethod.Post, "api/tokens", request, ct);

    public async Task RevokeTokenAsync(long id, CancellationToken ct)
    {
        using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Delete, $"api/tokens/{id.ToString(CultureInfo.InvariantCulture)}"), ct);
        await EnsureAsync(response, ct);
    }

    /// <summary>What the server holds of the caller's import of repository <paramref name="repo"/>.</summary>
    public Task<GitRepositoryResponse> GitRepositoryAsync(string repo, CancellationToken ct) =>
        GetAsync<GitRepositoryResponse>($"api/git/repositories/{Escape(repo)}", ct);

    /// <summary>Stores commits of the caller's import of repository <paramref name="repo"/> (parents first; stored ones are skipped).</summary>
    public Task<GitCommitsResponse> PostGitCommitsAsync(string repo, GitCommitsRequest request, CancellationToken ct) =>
        SendAsync<GitCommitsResponse>(HttpMethod.Post, $"api/git/repositories/{Escape(repo)}/commits", request, ct);

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>A document name as one path segment ('/' becomes %2F).</summary>
    public static string Escape(string name) => Uri.EscapeDataString(name);

    /// <summary>The audit entries about a contributor's data (self or admin) and the log's head.</summary>
    public Task<AuditListResponse> AuditAsync(string name, CancellationToken ct) => GetAsync<AuditListResponse>($"api/contributors/{Escape(name)}/audit", ct);

    /// <summary>Downloads a contributor's archive (self or admin) into <paramref name="destination"/>.</summary>
    public async Task ArchiveAsync(string name, Stream destination, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/contributors/{Escape(name)}/archive");
        using var response = await SendRawAsync(request, ct);
        await EnsureAsync(response, ct);
        await response.Content.CopyToAsync(destination, ct);
    }

    private Task<T> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, path, null, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: PlumblineServer.Json);
        }

        using var response = await SendRawAsync(request, ct);
        await EnsureAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<T>(PlumblineServer.Json, ct))!;
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new PlumblineException(FailureKind.Runtime, $"--server: cannot reach {_http.BaseAddress}: {e.Message}", isTransient: true, e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new PlumblineException(FailureKind.Runtime, $"--server: {_http.BaseAddress} did not answer within {_http.Timeout.TotalSeconds:F0} s", isTransient: true, e);
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string? detail = null;
        string? kind = null;
        int? current = null;
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var root = problem.RootElement;
            detail = root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            kind = root.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            current = root.TryGetProperty(PlumblineException.CurrentRevisionKey, out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null;
        }
        catch (JsonException)
        {
            // not a ProblemDetails body (a proxy's error page): the status says enough
        }

        var status = (int)response.StatusCode;
        var message = detail ?? $"the server answered {status} {response.ReasonPhrase}";
        throw (kind, response.StatusCode) switch
        {
            ("conflict", _) or (_, HttpStatusCode.Conflict) => PlumblineException.Conflict(message, current ?? -1),
            ("not_found", _) or (_, HttpStatusCode.NotFound) => PlumblineException.NotFound(message),
            ("unauthorized", _) or (_, HttpStatusCode.Unauthorized) => PlumblineException.Refused($"--token: {message}"),
            ("forbidden", _) or (_, HttpStatusCode.Forbidden) when kind != "refused" => PlumblineException.Refused($"--token: {message}"),
            ("refused", _) => PlumblineException.Refused(message),
            (_, _) when status < 500 => PlumblineException.BadInput(message),
            _ => new PlumblineException(FailureKind.Runtime, $"the server failed ({status}): {message}", isTransient: status == 503),
        };
    }
}
