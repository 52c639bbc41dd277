using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Plumbline.Core.Capture;
using Plumbline.Core.Datasets;
using Plumbline.Core.Text;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;

namespace Plumbline.Storage.Datasets;

/// <summary>
/// Feedback examples: for each comment, the document around the commented range, the range and the comment;
/// as target, the passage (the range with <see cref="DatasetBuildOptions.FeedbackNearChars"/> around it, in
/// whole lines) after the last edit that touched it, counting edits until the comment was resolved or, when
/// it never was, until the time limit. Comments nobody answered with an edit give no example (counted).
/// </summary>
internal static class FeedbackSource
{
    private sealed record CommentJson(int Start, int End, string Text);

    private sealed record ResolveJson(long Comment);

    public static async IAsyncEnumerable<SourceExample> ReadAsync(BuildContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var session = context.Session;
        foreach (var document in await session.ListDocumentsAsync(cancellationToken))
        {
            if (document.Source != SourceKind.Documents || !context.Wanted(document.Name))
            {
                continue;
            }

            var events = await session.EventsAsync(document.Id, cancellationToken);
            var comments = events.Where(e => e.Kind == EventKind.Comment).ToList();
            if (comments.Count == 0)
            {
                continue;
            }

            context.Count("documents with comments");
            var contributors = await session.ContentContributorsAsync(document.Id, cancellationToken);
            var refusals = context.Consent.Refusals(contributors, SourceKind.Documents, context.Use);
            if (refusals.Count > 0)
            {
                context.Excluded.Add((document.Name, string.Join("; ", refusals)));
                context.Count("documents left out by consent");
                continue;
            }

            var resolutions = events.Where(e => e.Kind == EventKind.CommentResolved)
                .GroupBy(e => JsonSerializer.Deserialize<ResolveJson>(e.Payload, CommentIngest.Json)!.Comment)
                .ToDictionary(g => g.Key, g => g.First());
            foreach (var comment in comments)
            {
                context.Count("comments read");
                if (comment.ContributorId is not { } commenter || context.Consent.Refusal(commenter, SourceKind.Documents, context.Use) is { } refusal)
                {
                    context.Count("comments left out by their author's consent");
                    continue;
                }

                var example = await CommentAsync(context, document, contributors, comment, resolutions.GetValueOrDefault(comment.Seq), cancellationToken);
                if (example is not null)
                {
                    context.Documents.Add(document.Name);
                    yield return example;
                }
            }
        }
    }

    private static async Task<SourceExample?> CommentAsync(
        BuildContext context,
        DocumentInfo document,
        IReadOnlyList<long> contributors,
        StoredEvent comment,
        StoredEvent? resolution,
        CancellationToken cancellationToken)
    {
        var options = context.Options;
        var payload = JsonSerializer.Deserialize<CommentJson>(comment.Payload, CommentIngest.Json)!;
        var revision = comment.Revision ?? 0;
        var text = await DocumentReader.LoadAsync(context.Session, document, revision, cancellationToken);
        var quote = text.Substring(payload.Start, payload.End - payload.Start);
        var region = new CommentAnchor(LineStart(text, Math.Max(0, payload.Start - options.FeedbackNearChars)), LineEnd(text, Math.Min(text.Length, payload.End + options.FeedbackNearChars)));
        var before = text.Substring(region.Start, region.Length);
        var excerpt = Excerpt(text, payload.Start, payload.End, options.NextEdit.MaxChars);
        var anchor = new CommentAnchor(payload.Start, payload.End);
        var until = resolution?.Revision ?? document.Revisions;
        var limit = comment.Time + options.FeedbackWindowMs;
        var hashes = new List<byte[]>();
        int? lastTouch = null;
        long firstSeq = 0;
        long lastSeq = 0;
        string? after = null;
        long? answeredBy = null;
        var touchedHashes = 0;
        await foreach (var stored in DocumentReader.RevisionsAsync(context.Session, document, revision + 1, until, cancellationToken))
        {
            if (resolution is null && stored.Time > limit)
            {
                break;
            }

            if (hashes.Count == 0)
            {
                firstSeq = stored.FirstSeq;
            }

            hashes.Add(EventHash.Of(stored));
            var touches = false;
            foreach (var patch in stored.Patches)
            {
                touches |= stored.Kind == RevisionKind.Edit && patch.Position <= region.End && patch.Position + patch.Delete >= region.Start;
                region = region.Through(patch);
                anchor = anchor.Through(patch);
                text.Apply(patch);
            }

            if (touches)
            {
                lastTouch = stored.Revision;
                lastSeq = stored.FirstSeq + Math.Max(stored.Patches.Length, 1) - 1;
                after = text.Substring(region.Start, region.Length);
                answeredBy = stored.ContributorId;
                touchedHashes = hashes.Count;
            }
        }

        if (lastTouch is null || after is null)
        {
            context.Count("comments with no edit in or near their range (no example)");
            return null;
        }

        if (anchor.Length == 0 && payload.End > payload.Start)
        {
            context.Count("comments on text later deleted");
        }

        var commenterName = context.Consent.Name(comment.ContributorId!.Value);
        var prompt =
            $"Document: {document.Name} (revision {revision.ToString(CultureInfo.InvariantCulture)})\n```\n{excerpt}\n```\n\n" +
            $"Comment by {commenterName} on «{quote}»:\n{payload.Text}\n\nPassage to revise:\n{before}";
        var rowEvents = resolution is not null && resolution.Revision <= lastTouch ? new[] { comment, resolution } : [comment];
        var author = answeredBy is { } who ? context.Consent.Name(who) : "";
        var provenance = new ProvenanceEntry
        {
            Id = "",
            Split = "",
            Source = SourceKind.Documents.Name(),
            Document = document.Name,
            Revisions = [revision + 1, lastTouch.Value],
            EditEvents = [firstSeq, lastSeq],
            RowEvents = rowEvents.Select(e => e.Seq).ToList(),
            Contributors = context.Contributors(contributors.Append(comment.ContributorId!.Value)),
            Author = author,
            Sha256 = EventHash.Combine(hashes.Take(touchedHashes).Concat(rowEvents.Select(EventHash.Of))),
        };
        var example = new ExampleText(
            "You revise a research document in answer to a reviewer's comment. Reply with the passage as revised.",
            prompt,
            after,
            before + "\u0000" + payload.Text,
            after);
        return new SourceExample(example, provenance, author);
    }

    /// <summary>The text around [start, end) within <paramref name="maxChars"/>, with the range marked «…».</summary>
    private static string Excerpt(TextBuffer text, int start, int end, int maxChars)
    {
        var room = Math.Max(0, maxChars - (end - start)) / 2;
        var from = Math.Max(0, start - room);
        var to = Math.Min(text.Length, end + room);
        return text.Substring(from, start - from) + "«" + text.Substring(start, end - start) + "»" + text.Substring(end, to - end);
    }

    private static int LineStart(TextBuffer text, int position)
    {
        while (position > 0 && text.CodePointAt(position - 1) != '\n')
        {
            position--;
        }

        return position;
    }

    private static int LineEnd(TextBuffer text, int position)
    {
        while (position < text.Length && text.CodePointAt(position) != '\n')
        {
            position++;
        }

        return position;
    }
}
