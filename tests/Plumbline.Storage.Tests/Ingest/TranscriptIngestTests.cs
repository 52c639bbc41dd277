using System.Text;
using System.Text.Json;
using Plumbline.Core;
using Plumbline.Core.Capture.Transcripts;
using Plumbline.Storage.Documents;
using Plumbline.Storage.Ingest;

namespace Plumbline.Storage.Tests.Ingest;

public class TranscriptIngestTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Zero = new(2026, 2, 3, 15, 0, 0, TimeSpan.Zero);

    private static TranscriptBatch Batch(string meeting, string vtt, params (string Voice, string Name)[] speakers) => new()
    {
        Meeting = meeting,
        Transcript = Transcript.Parse(TranscriptFormat.WebVtt, Encoding.UTF8.GetBytes(vtt), meeting + ".vtt"),
        Start = Zero,
        Actor = "alice",
        Speakers = speakers.ToDictionary(s => s.Voice, s => s.Name),
        BatchId = Guid.NewGuid().ToString("N"),
    };

    private const string Teams = """
        WEBVTT

        00:00:01.000 --> 00:00:04.000
        <v Alice Smith>Let's look at the drift numbers.</v>

        00:00:04.500 --> 00:00:07.250
        <v Bob Jones>Round three diverged.</v>

        00:00:08.000 --> 00:00:09.000
        <v Carol>I never agreed to be recorded.</v>

        00:00:09.500 --> 00:00:10.000
        Background noise.
        """;

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Ingest_TeamsTranscript_MapsSpeakersAndGapsTheRest(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice", sources: "meetings");
        await env.AddConsentingAsync("bob", sources: "meetings");
        var ingest = new TranscriptIngest(env.Store, env.Clock);

        var result = await ingest.IngestAsync(Batch("standup", Teams, ("Alice Smith", "alice"), ("Bob Jones", "bob")), default);

        Assert.Equal(4, result.Cues);
        Assert.Equal(3, result.StoredCues);
        Assert.Equal(1, result.Gaps);
        Assert.Equal(["Carol"], result.UnmappedSpeakers);
        var cues = await env.ReadAsync(async s => await MeetingReader.CuesAsync(s, (await s.FindDocumentAsync("standup", default))!, default));
        Assert.Equal(
            "[00:00:01.000 → 00:00:04.000] alice: Let's look at the drift numbers.\n" +
            "[00:00:04.500 → 00:00:07.250] bob: Round three diverged.\n" +
            "[00:00:08.000 → 00:00:09.000] (withheld: unmapped)\n" +
            "[00:00:09.500 → 00:00:10.000] alice: Background noise.\n",
            MeetingReader.Render(cues));
        var log = await env.ReadAsync(async s => await EventLog.ReadAsync(s, null, default).ToListAsync());
        Assert.Equal(Zero.AddSeconds(4.5).ToUnixTimeMilliseconds(), log[1].Time);
        Assert.DoesNotContain(log, e => e.Payload?.Contains("never agreed", StringComparison.Ordinal) == true);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Ingest_SpeakerWithoutMeetingsConsent_IsAGap_AndReimportIsANoOp(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice", sources: "meetings");
        await env.AddConsentingAsync("bob", sources: "documents");
        var ingest = new TranscriptIngest(env.Store, env.Clock);
        var batch = Batch("standup", Teams, ("Alice Smith", "alice"), ("Bob Jones", "bob"));

        var first = await ingest.IngestAsync(batch, default);
        var again = await ingest.IngestAsync(batch, default);

        Assert.Equal(2, first.Gaps);
        Assert.True(again.AlreadyStored);
        var count = await env.ReadAsync(async s => (await s.EventsAsync(null, default)).Count);
        Assert.Equal(4, count);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Ingest_ActorWithoutMeetingsConsent_IsRefused(string backend)
    {
        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice", sources: "documents");

        var error = await Assert.ThrowsAsync<PlumblineException>(() => new TranscriptIngest(env.Store, env.Clock).IngestAsync(Batch("m", Teams), default));

        Assert.Equal(FailureKind.Refused, error.Kind);
        Assert.Null(await env.DocumentAsync("m"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Ingest_EveryWebVttTestSuiteFile_StoresTheExpectedNumberOfCues(string backend)
    {
        if (RealData.Find("webvtt/expected.json", output.WriteLine) is not { } expectedPath)
        {
            return;
        }

        await using var env = await StoreEnvironment.CreateAsync(backend, output);
        if (env is null)
        {
            return;
        }

        await env.AddConsentingAsync("alice", sources: "meetings");
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(expectedPath));
        var ingest = new TranscriptIngest(env.Store, env.Clock);
        var checkedFiles = 0;
        foreach (var test in expected.RootElement.GetProperty("tests").EnumerateArray())
        {
            var name = test.GetProperty("file").GetString()!;
            if (!test.TryGetProperty("cue_count", out var count) || count.ValueKind != JsonValueKind.Number)
            {
                continue;
            }

            var bytes = await File.ReadAllBytesAsync(Path.Combine(Path.GetDirectoryName(expectedPath)!, name));
            var result = await ingest.IngestAsync(
                new TranscriptBatch
                {
                    Meeting = name,
                    Transcript = Transcript.Parse(TranscriptFormat.WebVtt, bytes, name),
                    Start = Zero,
                    Actor = "alice",
                    BatchId = name,
                },
                default);
            Assert.True(count.GetInt32() == result.Cues, $"{name}: {result.Cues} cues, expected {count.GetInt32()}");
            Assert.Equal(result.Cues, result.StoredCues);
            checkedFiles++;
        }

        Assert.Equal(38, checkedFiles); // two files assert stylesheets, not a cue count
    }
}
