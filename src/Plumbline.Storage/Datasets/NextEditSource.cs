using System.Runtime.CompilerServices;
using Plumbline.Core.Capture;
using Plumbline.Core.Datasets;
using Plumbline.Storage.Documents;

namespace Plumbline.Storage.Datasets;

/// <summary>
/// Next-edit examples, streamed document by document: revisions are read in windows of
/// <see cref="Window"/>, grouped into edit units, and each unit becomes an example cut from the text before
/// it. Only a document's current text, the open unit and the hashes of the revisions the history covers are
/// held, so memory does not grow with the store.
/// </summary>
internal static class NextEditSource
{
    public const int Window = 32_768;

    public static async IAsyncEnumerable<SourceExample> ReadAsync(BuildContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var session = context.Session;
        var all = await session.ListDocumentsAsync(cancellationToken);
        var done = 0;
        foreach (var document in all)
        {
            context.Progress?.Report((double)done++ / all.Count);
            if (document.Source != SourceKind.Documents || !context.Wanted(document.Name))
            {
                continue;
            }

            context.Count("documents read");
            if (document.Revisions == 0)
            {
                context.Count("documents with an empty history (no example)");
                continue;
            }

            var contributors = await session.ContentContributorsAsync(document.Id, cancellationToken);
            if (contributors.Count == 0)
            {
                context.Count("documents holding only withheld edits (no example)");
                continue;
            }

            var refusals = context.Consent.Refusals(contributors, SourceKind.Documents, context.Use);
            if (refusals.Count > 0)
            {
                context.Excluded.Add((document.Name, string.Join("; ", refusals)));
                context.Count("documents left out by consent");
                continue;
            }

            await foreach (var example in DocumentAsync(context, document, contributors, cancellationToken))
            {
                yield return example;
            }
        }
    }

    private static async IAsyncEnumerable<SourceExample> DocumentAsync(
        BuildContext context,
        DocumentInfo document,
        IReadOnlyList<long> contributors,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var session = context.Session;
        var start = await session.StartContentAsync(document.Id, cancellationToken);
        var text = new NextEditDocument(document.Name, start, Math.Max(document.Length, start.Length) + 1024, context.Options.NextEdit);
        var people = context.Contributors(contributors);
        EditUnitGrouper? grouper = null;
        var hashes = new List<(int Revision, long FirstSeq, byte[] Hash)>();
        var inserted = false;
        var examples = 0;
        for (var from = 1; from <= document.Revisions; from += Window)
        {
            var to = Math.Min(document.Revisions, from + Window - 1);
            await foreach (var revision in DocumentReader.RevisionsAsync(session, document, from, to, cancellationToken))
            {
                grouper ??= new EditUnitGrouper(context.Options.Units, EditUnitOptions.TimestampsUsable(revision.Time, document.LastTime ?? revision.Time, document.Revisions));
                hashes.Add((revision.Revision, revision.FirstSeq, EventHash.Of(revision)));
                inserted |= revision.Kind == RevisionKind.Edit && revision.Patches.Any(p => p.InsertLength > 0);
                var unitRevision = new UnitRevision(revision.Revision, revision.Time, revision.ContributorId, revision.Kind == RevisionKind.Gap, revision.Patches, revision.FirstSeq);
                foreach (var unit in grouper.Push(unitRevision))
                {
                    if (Take(context, document, text, unit, hashes, people) is { } example)
                    {
                        examples++;
                        yield return example;
                    }
                }
            }
        }

        if (grouper?.Flush() is { } last && Take(context, document, text, last, hashes, people) is { } final)
        {
            examples++;
            yield return final;
        }

        if (!grouper?.UsesTime ?? false)
        {
            context.Count("documents without usable timestamps (units split by position and boundaries only)");
        }

        if (!inserted)
        {
            context.Count("documents with only deletions");
        }

        if (examples > 0)
        {
            context.Documents.Add(document.Name);
        }
    }

    private static SourceExample? Take(
        BuildContext context,
        DocumentInfo document,
        NextEditDocument text,
        EditUnit unit,
        List<(int Revision, long FirstSeq, byte[] Hash)> hashes,
        IReadOnlyList<ProvenanceContributor> people)
    {
        if (unit.IsGap)
        {
            text.Skip(unit);
            context.Count("gap runs (withheld edits, never a target)");
            hashes.RemoveAll(h => h.Revision <= unit.LastRevision);
            return null;
        }

        context.Count("edit units");
        var parts = text.Next(unit, out var skip);
        if (parts is null)
        {
            if (skip == NextEditSkip.TooLarge)
            {
                // The history starts again after a unit too large to show.
                context.Count("edit units larger than --max-editable-chars (skipped)");
                hashes.RemoveAll(h => h.Revision <= unit.LastRevision);
            }
            else
            {
                context.Count("edit units with no net change (skipped)");
            }

            return null;
        }

        var from = parts.HistoryFrom ?? unit.FirstRevision;
        var used = hashes.Where(h => h.Revision >= from && h.Revision <= unit.LastRevision).ToList();
        hashes.RemoveAll(h => h.Revision < from);
        var author = unit.ContributorId is { } id ? context.Consent.Name(id) : "";
        var provenance = new ProvenanceEntry
        {
            Id = "",
            Split = "",
            Source = SourceKind.Documents.Name(),
            Document = document.Name,
            Revisions = [from, unit.LastRevision],
            EditEvents = [used[0].FirstSeq, unit.LastSeq],
            Contributors = people,
            Author = author,
            Sha256 = EventHash.Combine(used.Select(h => h.Hash)),
        };
        return new SourceExample(ExampleText.FromNextEdit(parts), provenance, author);
    }
}
