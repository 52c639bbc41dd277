using Plumbline.Core;

namespace Plumbline.Storage.Keys;

/// <summary>
/// Ties a data store to its key store, once, as the store is first used: the data store's <c>meta</c>
/// row <c>key_store</c> holds the key store's random id. A store whose key folder is missing or holds
/// another store's keys refuses to open (fail closed), naming the folder. A store written before
/// encryption at rest (<c>meta.sealed = 0</c>) is sealed in place, in one transaction.
/// </summary>
internal static class KeyBinding
{
    public const string KeyStoreMeta = "key_store";
    public const string SealedMeta = "sealed";

    /// <param name="description">The store, for messages.</param>
    /// <param name="keys">The store's keys.</param>
    /// <param name="readBinding">Reads <c>meta.key_store</c> (null when unset).</param>
    /// <param name="writeBinding">Sets <c>meta.key_store</c> when unset and returns the value now stored.</param>
    /// <param name="sealPlaintext">Seals plaintext rows if <c>meta.sealed</c> is 0 (checked under the write lock) and sets it to 1.</param>
    public static async Task BindAsync(
        string description,
        StoreKeys keys,
        Func<CancellationToken, Task<long?>> readBinding,
        Func<long, CancellationToken, Task<long>> writeBinding,
        Func<CancellationToken, Task> sealPlaintext,
        CancellationToken cancellationToken)
    {
        var location = keys.Location;
        var bound = await readBinding(cancellationToken);
        if (bound is { } id)
        {
            if (!KeyStore.Exists(location))
            {
                throw PlumblineException.BadInput(
                    $"{description}: its data is encrypted and its keys are not in {location.Directory} (no {Path.GetFileName(location.KeyStoreFile)}); " +
                    $"pass --keys DIR or set {KeyLocation.EnvironmentVariable} to its key folder, or restore its key store (plumb restore --key-store BACKUP)");
            }

            var store = keys.KeyStore();
            if (store.StoreId != id)
            {
                throw PlumblineException.BadInput(
                    $"{description}: the key folder {location.Directory} holds the keys of another store (key store {store.StoreId}, this store needs {id}); " +
                    $"pass --keys DIR or set {KeyLocation.EnvironmentVariable} to this store's key folder");
            }

            if (!store.Claimed)
            {
                store.Claim();
            }
        }
        else
        {
            var store = keys.KeyStore(mayCreate: true);
            if (store.Claimed && await readBinding(cancellationToken) != store.StoreId)
            {
                throw PlumblineException.BadInput(
                    $"{description}: the key folder {location.Directory} already holds the keys of another store; each store needs its own key folder (--keys DIR or {KeyLocation.EnvironmentVariable})");
            }

            var stored = await writeBinding(store.StoreId, cancellationToken);
            if (stored != store.StoreId)
            {
                throw PlumblineException.BadInput($"{description}: was bound to key store {stored} by another process while opening; {location.Directory} holds {store.StoreId}");
            }

            store.Claim();
        }

        await sealPlaintext(cancellationToken);
    }
}
