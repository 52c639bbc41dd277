using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Plumbline.Core;

namespace Plumbline.Storage.Keys;

/// <summary>
/// A data store's keys as its sessions use them: seals and opens payloads under data keys from the key
/// store, keeping unwrapped keys in memory. The cache is dropped whenever the key store's generation
/// changes (another process destroyed a key or rotated the master key), checked at every session start.
/// The key store is opened on first use, so opening a store that is never read touches no key folder.
/// </summary>
internal sealed class StoreKeys : IDisposable
{
    private readonly ConcurrentDictionary<long, AesGcm?> _byId = new();
    private readonly ConcurrentDictionary<KeyScope, (long Id, AesGcm Aes)> _active = new();
    private readonly Lock _gate = new();
    private KeyStore? _store;
    private long _generation = -1;

    public StoreKeys(KeyLocation location, TimeProvider? time = null, bool sealing = true)
    {
        ArgumentNullException.ThrowIfNull(location);
        Location = location;
        Time = time ?? TimeProvider.System;
        Sealing = sealing;
    }

    /// <summary>
    /// False only for the encryption-cost benchmark's baseline (bench/Plumbline.Bench.Keys): values are stored as
    /// given and read back as stored. There is no public way to open a store like that.
    /// </summary>
    public bool Sealing { get; }

    public KeyLocation Location { get; }

    public TimeProvider Time { get; }

    /// <summary>The key store, opened (and created when <paramref name="mayCreate"/>) on first use.</summary>
    public KeyStore KeyStore(bool mayCreate = false)
    {
        lock (_gate)
        {
            return _store ??= Keys.KeyStore.Open(Location, Time, mayCreate);
        }
    }

    /// <summary>Drops cached keys when the key store changed since the last check (called as a session starts).</summary>
    public void Refresh()
    {
        var generation = KeyStore().Generation();
        var previous = Interlocked.Exchange(ref _generation, generation);
        if (previous != generation)
        {
            _active.Clear();
            _byId.Clear();
            if (previous != -1)
            {
                // the master key may have been rotated by another process: read it again
                lock (_gate)
                {
                    _store?.Dispose();
                    _store = null;
                }
            }
        }
    }

    public byte[] Seal(KeyScope scope, ReadOnlySpan<byte> plaintext, string context)
    {
        if (!Sealing)
        {
            return plaintext.ToArray();
        }

        var (id, aes) = _active.GetOrAdd(scope, s =>
        {
            var (newId, key) = KeyStore().Active(s);
            var created = new AesGcm(key, SealedEnvelope.TagSize);
            CryptographicOperations.ZeroMemory(key);
            _byId[newId] = created;
            return (newId, created);
        });
        // AesGcm instances are not safe for concurrent use; sessions of one store run in parallel on a server.
        lock (aes)
        {
            return SealedEnvelope.Seal(id, aes, plaintext, context);
        }
    }

    public byte[] SealText(KeyScope scope, string text, string context) => Seal(scope, Encoding.UTF8.GetBytes(text), context);

    /// <summary>Decrypts a sealed value; a destroyed key or a value that does not belong to <paramref name="context"/> is an error naming both.</summary>
    public byte[] Open(byte[] sealedBytes, string context)
    {
        if (TryOpen(sealedBytes, context, out var plaintext, out var problem))
        {
            return plaintext;
        }

        throw new PlumblineException(FailureKind.Runtime, $"{context}: {problem}");
    }

    public string OpenText(byte[] sealedBytes, string context) => Encoding.UTF8.GetString(Open(sealedBytes, context));

    public bool TryOpen(byte[] sealedBytes, string context, out byte[] plaintext, out string problem)
    {
        ArgumentNullException.ThrowIfNull(sealedBytes);
        if (!Sealing)
        {
            (plaintext, problem) = (sealedBytes, "");
            return true;
        }

        plaintext = [];
        if (SealedEnvelope.KeyId(sealedBytes) is not { } id)
        {
            problem = "not an encrypted value (version 1 envelope expected)";
            return false;
        }

        if (Key(id) is not { } aes)
        {
            problem = $"its data key {id} was destroyed (crypto-shredded by a withdrawal or a rewritten history) or is not in {Location.KeyStoreFile}";
            return false;
        }

        bool opened;
        lock (aes)
        {
            opened = SealedEnvelope.TryOpen(aes, sealedBytes, context, out plaintext);
        }

        if (!opened)
        {
            problem = $"does not decrypt under data key {id} (altered, or moved from another row)";
            return false;
        }

        problem = "";
        return true;
    }

    /// <summary>Whether the key with <paramref name="id"/> is still in the key store.</summary>
    public bool HasKey(long id) => Key(id) is not null;

    /// <summary>Forgets the active key of <paramref name="scope"/> so the next seal makes a new one (the old one still opens what it sealed until destroyed).</summary>
    public void Retire(KeyScope scope)
    {
        KeyStore().Retire(scope);
        _active.TryRemove(scope, out _);
    }

    /// <summary>Destroys keys (see <see cref="Keys.KeyStore.Destroy"/>) and forgets them here at once.</summary>
    public int Destroy(string kind, long owner, string? part, bool retiredOnly, string reason)
    {
        var count = KeyStore().Destroy(kind, owner, part, retiredOnly, reason);
        _active.Clear();
        _byId.Clear();
        return count;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _store?.Dispose();
            _store = null;
        }
    }

    private AesGcm? Key(long id) => _byId.GetOrAdd(id, i =>
    {
        var key = KeyStore().Find(i);
        if (key is null)
        {
            return null;
        }

        var aes = new AesGcm(key, SealedEnvelope.TagSize);
        CryptographicOperations.ZeroMemory(key);
        return aes;
    });
}
