using System.Security.Cryptography;
using System.Text.Json;
using Plumbline.Core;
using Plumbline.Storage.Keys;

namespace Plumbline.Storage.Audit;

/// <summary>What to log: who did what to whose data (the store gives the seq, the clock the time, the key the mac).</summary>
/// <param name="Detail">Serialised as a JSON object (snake_case); null for <c>{}</c>.</param>
public sealed record AuditEvent(string Actor, string Action, string? Contributor, string? Subject, object? Detail = null);

/// <summary>The audit log's actions.</summary>
public static class AuditActions
{
    /// <summary>Someone other than the owner read documents, text, comments or events (detail says which).</summary>
    public const string Read = "read";

    /// <summary>Data left the store in an export (traces, dataset).</summary>
    public const string Export = "export";

    public const string ConsentChange = "consent";

    public const string Withdrawal = "withdraw";

    /// <summary>"Export all my data": the contributor's archive was produced.</summary>
    public const string Archive = "archive";

    /// <summary>A document was shared or a share revoked (detail: what, grantee, role).</summary>
    public const string Share = "share";
}

/// <summary>
/// The tamper-evident audit log: an append-only table in the store whose entries are chained with
/// HMAC-SHA256 under a key kept outside it (<see cref="AuditKey"/>). Appends are serialised across
/// processes by the store; the head after each append is also kept in <c>audit.head</c> in the key folder.
/// </summary>
public sealed class AuditLog(ITraceStore store, KeyLocation keys, TimeProvider time)
{
    private static readonly JsonSerializerOptions DetailJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    private byte[]? _key;

    public KeyLocation Keys => keys;

    /// <summary>The OS user as an actor of local, direct store access (which is admin access): <c>local:NAME</c>.</summary>
    public static string LocalActor => "local:" + Environment.UserName;

    /// <summary>Appends <paramref name="events"/> in a write session of its own and returns the new head.</summary>
    public async Task<AuditHead> RecordAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var head = await StoreRetry.RunAsync(time, async () =>
        {
            await using var session = await store.OpenAsync(write: true, cancellationToken);
            var appended = await AppendAsync(session, events, cancellationToken);
            await session.CommitAsync(cancellationToken);
            return appended;
        }, cancellationToken);
        Committed(head);
        return head;
    }

    public Task<AuditHead> RecordAsync(AuditEvent entry, CancellationToken cancellationToken) => RecordAsync([entry], cancellationToken);

    /// <summary>
    /// Appends inside the caller's write session (so the entry commits with the change it records) and returns
    /// the head it will have; after committing, call <see cref="Committed"/> with it.
    /// </summary>
    public async Task<AuditHead> AppendAsync(IStoreSession session, IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(events);
        var key = Key(create: true)!;
        var last = await session.LastAuditEntryAsync(forAppend: true, cancellationToken);
        var seq = last?.Seq ?? 0;
        var previous = last?.Mac ?? AuditHead.EmptyHash;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var e in events)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(e.Actor);
            ArgumentException.ThrowIfNullOrWhiteSpace(e.Action);
            var detail = e.Detail is null ? "{}" : JsonSerializer.Serialize(e.Detail, DetailJson);
            var unsigned = new AuditEntry(++seq, now, e.Actor, e.Action, e.Contributor, e.Subject, detail, "");
            var entry = unsigned with { Mac = Mac(key, previous, unsigned) };
            await session.InsertAuditEntryAsync(entry, cancellationToken);
            previous = entry.Mac;
        }

        return new AuditHead(seq, previous);
    }

    /// <summary>Records a committed head in <c>audit.head</c> (never moving it backwards).</summary>
    public void Committed(AuditHead head) => AuditHeadFile.Advance(keys, head);

    /// <summary>The head as the store has it now (not verified).</summary>
    public async Task<AuditHead> HeadAsync(CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var last = await session.LastAuditEntryAsync(forAppend: false, cancellationToken);
        return last is null ? AuditHead.Empty : new AuditHead(last.Seq, last.Mac);
    }

    /// <summary>The entries about one contributor's data, oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> EntriesAboutAsync(string contributor, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        return await session.AuditEntriesAboutAsync(contributor, cancellationToken);
    }

    /// <summary>Checks every entry's mac and the head against <c>audit.head</c> and <paramref name="expected"/>; see <see cref="AuditVerification"/>.</summary>
    public async Task<AuditVerification> VerifyAsync(AuditHead? expected, CancellationToken cancellationToken)
    {
        var key = Key(create: false);
        var recorded = AuditHeadFile.Read(keys);
        await using var session = await store.OpenAsync(write: false, cancellationToken);
        var position = 0L;
        var previous = AuditHead.EmptyHash;
        var macs = new Dictionary<long, string>();
        var wanted = new[] { recorded?.Count, expected?.Count }.OfType<long>().ToHashSet();
        while (true)
        {
            var page = await session.AuditEntriesAsync(position, 4096, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            if (key is null)
            {
                throw new PlumblineException(
                    FailureKind.Runtime,
                    $"the audit log has entries but there is no audit key to check them with: neither {AuditKey.EnvironmentVariable} nor {keys.AuditKeyFile} (give the key folder with --keys)");
            }

            foreach (var entry in page)
            {
                position++;
                if (entry.Seq != position)
                {
                    return AuditVerification.Failed(position - 1, previous, position, $"entry {position} is missing (the next entry stored is {entry.Seq})");
                }

                if (!CryptographicOperations.FixedTimeEquals(Convert.FromHexString(Mac(key, previous, entry)), HexOrEmpty(entry.Mac)))
                {
                    return AuditVerification.Failed(position - 1, previous, position, $"entry {position} does not match its mac: it was altered, or the chain was recomputed without the audit key");
                }

                previous = entry.Mac;
                if (wanted.Contains(position))
                {
                    macs[position] = entry.Mac;
                }
            }
        }

        var head = new AuditHead(position, previous);
        foreach (var (known, name) in new[] { (recorded, keys.AuditHeadFile), (expected, "--expect-head") })
        {
            if (known is not { } h)
            {
                continue;
            }

            if (h.Count > head.Count)
            {
                return AuditVerification.Failed(head.Count, head.Hash, head.Count + 1, $"entries {head.Count + 1} to {h.Count} were removed: {name} records {h.Count} entries, the store has {head.Count}");
            }

            if (h.Count > 0 ? macs[h.Count] != h.Hash : h.Hash != AuditHead.EmptyHash)
            {
                return AuditVerification.Failed(head.Count, head.Hash, Math.Max(1, h.Count), $"entry {h.Count} is not the one {name} records (its mac differs): the log was rewritten");
            }
        }

        return new AuditVerification(true, head, null, null, recorded);
    }

    /// <summary>The canonical bytes of an entry: a JSON object of its fields in a fixed order, the detail as a string.</summary>
    public static byte[] Canonical(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("seq", entry.Seq);
            writer.WriteNumber("time", entry.Time);
            writer.WriteString("actor", entry.Actor);
            writer.WriteString("action", entry.Action);
            writer.WriteString("contributor", entry.Contributor);
            writer.WriteString("subject", entry.Subject);
            writer.WriteString("detail", entry.Detail);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>HMAC-SHA256(key, previous mac (32 bytes) ‖ canonical bytes), lower-case hex.</summary>
    public static string Mac(byte[] key, string previousMac, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(previousMac);
        var previous = HexOrEmpty(previousMac);
        var canonical = Canonical(entry);
        var message = new byte[previous.Length + canonical.Length];
        previous.CopyTo(message, 0);
        canonical.CopyTo(message, previous.Length);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, message));
    }

    private static byte[] HexOrEmpty(string hex)
    {
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return [];
        }
    }

    private byte[]? Key(bool create) => _key ??= AuditKey.Load(keys, create);
}

/// <summary>
/// The outcome of <see cref="AuditLog.VerifyAsync"/>. When not <see cref="Ok"/>, <see cref="FirstBad"/> is the seq
/// of the first entry that is missing or does not verify, and <see cref="Head"/> the last good head before it.
/// </summary>
public sealed record AuditVerification(bool Ok, AuditHead Head, long? FirstBad, string? Problem, AuditHead? Recorded)
{
    internal static AuditVerification Failed(long goodCount, string goodHash, long firstBad, string problem) =>
        new(false, new AuditHead(goodCount, goodHash), firstBad, problem, null);
}
