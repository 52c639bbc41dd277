using Plumbline.Server.Client;
using Plumbline.Server.Contracts;

namespace Plumbline.Server.Tests;

/// <summary>Data of alice's that other callers must not reach: a document with a comment, a meeting, a note.</summary>
internal sealed record AliceData(string Document, string Meeting, long CommentId, string Text)
{
    public const string Vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Alice>We should log the reward per step.\n\n00:00:05.000 --> 00:00:07.000\n<v Bob>Agreed.\n";

    public static async Task<AliceData> CreateAsync(PlumblineClient alice)
    {
        const string document = "alice-notes";
        const string text = "Private draft: the reward model 😀 overfits.";
        await alice.PostBatchAsync(document, Batch("seed-1", 0, text), CancellationToken.None);
        var comment = await alice.AddCommentAsync(document, new CommentRequest(15, 27, "cite this"), CancellationToken.None);
        await alice.PostTranscriptAsync(
            "alice-meeting",
            new TranscriptRequest("seed-vtt", "vtt", Vtt, DateTimeOffset.Parse("2026-03-02T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture), new Dictionary<string, string> { ["Alice"] = "alice" }),
            CancellationToken.None);
        await alice.AddNoteAsync(new NoteRequest("alice's private note"), CancellationToken.None);
        return new AliceData(document, "alice-meeting", comment.Id!.Value, text);
    }

    /// <summary>One transaction inserting <paramref name="insert"/> at 0.</summary>
    public static EditBatchRequest Batch(string id, int baseRevision, string insert, int position = 0) =>
        new(id, baseRevision, [new TransactionDto([new PatchDto(position, 0, insert)])]);
}
