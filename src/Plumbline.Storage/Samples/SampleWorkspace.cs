using Plumbline.Core;
using Plumbline.Core.Capture;
using Plumbline.Core.Capture.Etherpad;
using Plumbline.Core.Capture.Traces;
using Plumbline.Core.Capture.Transcripts;
using Plumbline.Core.Consent;
using Plumbline.Core.Text;
using Plumbline.Storage.Consent;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;

namespace Plumbline.Storage.Samples;

/// <summary>One thing the sample loaded, for the summary.</summary>
public sealed record SampleItem(string Document, string Source, int Revisions, long Patches, bool AlreadyStored);

/// <summary>
/// The sample workspace: two contributors with consent, the public editing traces and Etherpad export
/// from <c>shared/realdata</c> when present, a scripted research note with a reviewer comment that
/// stays anchored while the note is revised, and a scripted meeting transcript (<see cref="MeetingScript"/>). Loading it twice changes nothing.
/// </summary>
public sealed class SampleWorkspace(ITraceStore store, TimeProvider time)
{
    public const string Author = "alice";
    public const string Reviewer = "rita";
    public const string NoteDocument = "research-note";

    private static readonly string[] Traces = ["seph-blog1", "sveltecomponent", "rustcode", "automerge-paper"];

    public async Task<IReadOnlyList<SampleItem>> LoadAsync(string? realData, Action<string, double>? progress, CancellationToken cancellationToken)
    {
        var contributors = new ContributorService(store, time);
        await EnsureContributorAsync(contributors, Author, "documents,code,meetings,commentary", "research,training", cancellationToken);
        await EnsureContributorAsync(contributors, Reviewer, "documents,meetings", "research", cancellationToken);

        var items = new List<SampleItem>();
        var ingest = new EditIngest(store, time);
        await LoadNoteAsync(ingest, items, cancellationToken);
        await LoadMeetingAsync(items, cancellationToken);
        if (realData is not null)
        {
            foreach (var name in Traces)
            {
                var path = Path.Combine(realData, "editing-traces", name + ".json.gz");
                if (File.Exists(path))
                {
                    var trace = EditingTraceReader.Parse(await File.ReadAllBytesAsync(path, cancellationToken), Path.GetFileName(path), 0);
                    var batch = new EditBatch
                    {
                        Document = name,
                        StartContent = trace.StartContent,
                        Transactions = trace.Transactions,
                        Actor = Author,
                        BatchId = "sample:" + name,
                        ExpectedEnd = trace.EndContent,
                    };
                    items.Add(Item(await ingest.IngestAsync(batch, new Progress<double>(v => progress?.Invoke(name, v)), cancellationToken)));
                }
            }

            var pad = Path.Combine(realData, "etherpad", "test.etherpad");
            if (File.Exists(pad))
            {
                var parsed = EtherpadReader.Parse(await File.ReadAllBytesAsync(pad, cancellationToken), "test.etherpad", 0);
                var batch = new EditBatch
                {
                    Document = "etherpad-test",
                    StartContent = parsed.StartContent,
                    Transactions = parsed.Transactions,
                    Actor = Author,
                    AuthorMap = parsed.Authors.Keys.ToDictionary(k => k, _ => Author),
                    BatchId = "sample:etherpad-test",
                    ExpectedEnd = parsed.EndContent,
                };
                items.Add(Item(await ingest.IngestAsync(batch, null, cancellationToken)));
            }
        }

        return items;
    }

    private async Task LoadNoteAsync(EditIngest ingest, List<SampleItem> items, CancellationToken cancellationToken)
    {
        var (draft, revision) = NoteScript.Sessions();
        var first = await ingest.IngestAsync(NoteBatch("", draft, "sample:note-draft"), null, cancellationToken);
        if (!first.AlreadyStored)
        {
            var text = NoteScript.Replay("", draft);
            var quote = "reward hacking";
            var start = CodePoints.FromUtf16Index(text, text.IndexOf("find " + quote, StringComparison.Ordinal) + "find ".Length);
            await new CommentIngest(store, time).AddAsync(NoteDocument, start, start + quote.Length, "Define this, and cite where it was first observed.", Reviewer, cancellationToken);
        }

        var draftText = NoteScript.Replay("", draft);
        var second = await ingest.IngestAsync(NoteBatch(draftText, revision, "sample:note-revision"), null, cancellationToken);
        items.Add(new SampleItem(NoteDocument, "scripted", first.LastRevision + (second.AlreadyStored ? 0 : second.StoredRevisions), first.Patches + second.Patches, second.AlreadyStored));
    }

    private async Task LoadMeetingAsync(List<SampleItem> items, CancellationToken cancellationToken)
    {
        var transcript = Transcript.Parse(TranscriptFormat.WebVtt, MeetingScript.Bytes, MeetingScript.Meeting + ".vtt");
        var result = await new TranscriptIngest(store, time).IngestAsync(
            new TranscriptBatch
            {
                Meeting = MeetingScript.Meeting,
                Transcript = transcript,
                Start = MeetingScript.Start,
                Actor = Author,
                Speakers = new Dictionary<string, string> { ["alice"] = Author, ["rita"] = Reviewer },
                BatchId = "sample:" + MeetingScript.Meeting,
            },
            cancellationToken);
        items.Add(new SampleItem(MeetingScript.Meeting, "scripted", result.Cues, result.Cues, result.AlreadyStored));
    }

    private static EditBatch NoteBatch(string start, IReadOnlyList<EditTransaction> transactions, string id) => new()
    {
        Document = NoteDocument,
        StartContent = start,
        Transactions = transactions,
        Actor = Author,
        BatchId = id,
    };

    private static SampleItem Item(IngestResult result) =>
        new(result.Document, "realdata", result.LastRevision, result.Patches, result.AlreadyStored);

    private static async Task EnsureContributorAsync(ContributorService contributors, string name, string sources, string uses, CancellationToken cancellationToken)
    {
        try
        {
            await contributors.AddAsync(name, cancellationToken);
        }
        catch (PlumblineException e) when (e.Kind == FailureKind.BadInput)
        {
            return; // there already, with whatever consent they have since chosen
        }

        await contributors.SetConsentAsync(
            name,
            new ConsentTerms(ConsentTerms.ParseSources(sources, "sources"), ConsentTerms.ParseUses(uses, "uses"), null),
            null,
            "plumb demo",
            cancellationToken);
    }
}
