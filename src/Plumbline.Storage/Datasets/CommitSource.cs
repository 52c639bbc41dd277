using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Plumbline.Core.Capture;
using Plumbline.Core.Datasets;
using Plumbline.Storage.Documents;

namespace Plumbline.Storage.Datasets;

/// <summary>
/// Commit examples: the diff of every text file a commit changed (each file's revision at that commit against
/// the one before) → the commit message. Binary files appear as one line saying so; withheld commits and
/// files whose revision is a gap are left out (counted); a diff past <c>--max-chars</c> is cut with a marker.
/// </summary>
internal static class CommitSource
{
    public static async IAsyncEnumerable<SourceExample> ReadAsync(BuildContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var session = context.Session;
        var documents = new Dictionary<string, DocumentInfo?>(StringComparer.Ordinal);
        foreach (var stored in await session.EventsOfKindAsync(EventKind.Commit, cancellationToken))
        {
            var commit = JsonSerializer.Deserialize<GitCommitPayload>(stored.Payload, GitCommitIndex.Json)!;
            if (!context.Wanted(commit.Repo))
            {
                continue;
            }

            context.Count("commits read");
            if (commit.Withheld || commit.Message is null || stored.ContributorId is not { } author)
            {
                context.Count("commits withheld at capture (no example)");
                continue;
            }

            if (context.Consent.Refusal(author, SourceKind.Code, context.Use) is { } refusal)
            {
                context.Count("commits left out by their author's consent");
                if (!context.Excluded.Any(e => e.Name == commit.Repo && e.Reason.StartsWith(context.Consent.Name(author), StringComparison.Ordinal)))
                {
                    context.Excluded.Add((commit.Repo, $"{context.Consent.Name(author)}: {refusal}"));
                }

                continue;
            }

            var diff = new StringBuilder();
            var files = new List<ProvenanceRevision>();
            var hashes = new List<byte[]>();
            var contributors = new HashSet<long> { author };
            foreach (var file in commit.Files)
            {
                if (file.Binary)
                {
                    context.Count("binary files in commits (named, no diff)");
                    diff.Append("Binary file ").Append(file.Path).Append(" changed\n");
                    continue;
                }

                if (file.Document is null || file.Revision is not { } revision)
                {
                    continue;
                }

                if (!documents.TryGetValue(file.Document, out var document))
                {
                    document = await session.FindDocumentAsync(file.Document, cancellationToken);
                    documents[file.Document] = document;
                }

                if (document is null || revision > document.Revisions)
                {
                    context.Count("files of commits no longer in the store");
                    continue;
                }

                var stored1 = await DocumentReader.RevisionsAsync(session, document, revision, revision, cancellationToken).FirstAsync(cancellationToken);
                if (stored1.Kind == RevisionKind.Gap || stored1.ContributorId is not { } editor)
                {
                    context.Count("withheld files in commits");
                    continue;
                }

                contributors.Add(editor);
                var before = (await DocumentReader.LoadAsync(session, document, revision - 1, cancellationToken)).ToString();
                var after = (await DocumentReader.LoadAsync(session, document, revision, cancellationToken)).ToString();
                diff.Append(UnifiedDiff.File(file.Path, before, after));
                files.Add(new ProvenanceRevision(document.Name, revision));
                hashes.Add(EventHash.Of(stored1));
            }

            hashes.Add(EventHash.Of(stored)); // after the files, the order verify reads them in
            var text = diff.ToString();
            if (text.Length == 0)
            {
                context.Count("commits with no text change (no example)");
                continue;
            }

            var maxChars = context.Options.NextEdit.MaxChars;
            if (text.Length > maxChars)
            {
                context.Count("commit diffs cut at --max-chars");
                var cut = char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : maxChars;
                text = text[..cut] + "\n[diff truncated]\n";
            }

            var name = context.Consent.Name(author);
            var provenance = new ProvenanceEntry
            {
                Id = "",
                Split = "",
                Source = SourceKind.Code.Name(),
                Document = commit.Repo,
                Files = files,
                RowEvents = [stored.Seq],
                Contributors = context.Contributors(contributors),
                Author = name,
                Sha256 = EventHash.Combine(hashes),
            };
            context.Documents.Add(commit.Repo);
            yield return new SourceExample(
                new ExampleText("You write the commit message for a change to a research code base.", $"Diff:\n{text}", commit.Message, text, commit.Message),
                provenance,
                name);
        }
    }
}
