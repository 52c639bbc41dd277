using Microsoft.AspNetCore.Http.HttpResults;
using Plumbline.Server.Access;
using Plumbline.Server.Contracts;
using Plumbline.Server.Documents;

namespace Plumbline.Server.Meetings;

/// <summary>Meeting transcripts and running commentary notes.</summary>
internal static class CommentaryApi
{
    public static IEndpointRouteBuilder MapCommentaryApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/meetings/{name}/transcripts", PostTranscript).WithTags("Meetings").WithName("PostTranscript")
            .RequireAuthorization(Policies.Contributor)
            .WithSummary("A WebVTT or SRT file's text: each cue becomes an event; cues of unmapped or non-consenting speakers become gaps");
        app.MapPost("/api/notes", AddNote).WithTags("Notes").WithName("AddNote").RequireAuthorization(Policies.Contributor)
            .WithSummary("A commentary note, now or at an earlier time, optionally attached to a document revision");
        return app;
    }

    private static async Task<Ok<TranscriptResponse>> PostTranscript(string name, TranscriptRequest request, Caller caller, DataWrites writes, CancellationToken ct) =>
        TypedResults.Ok(await writes.PostTranscriptAsync(caller, DocumentsApi.Name(name), request, ct));

    private static async Task<Ok<EventResultResponse>> AddNote(NoteRequest request, Caller caller, DataWrites writes, CancellationToken ct) =>
        TypedResults.Ok(await writes.AddNoteAsync(caller, request, ct));
}
