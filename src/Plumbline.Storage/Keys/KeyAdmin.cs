using Plumbline.Core;

namespace Plumbline.Storage.Keys;

/// <summary>What a master key rotation did.</summary>
public sealed record RotationResult(int KeysRewrapped, string NewMasterKeySource, string? Instruction);

/// <summary><c>plumb keys status</c> and <c>plumb keys rotate</c>: the key store seen and changed from outside a store session.</summary>
public sealed class KeyAdmin(TimeProvider time)
{
    public KeyStoreStatus Status(KeyLocation keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using var store = KeyStore.Open(keys, time, mayCreate: false);
        return store.Status();
    }

    /// <summary>
    /// A new master key: every data key is rewrapped under it in one transaction, after which the old
    /// master key opens nothing. With a key file, the new key is written to <c>master.key.new</c> first and
    /// renamed over <c>master.key</c> after the commit (a rotation interrupted between the two is finished
    /// on the next open). With <c>PLUMBLINE_MASTER_KEY</c>, the new key comes from <c>PLUMBLINE_NEW_MASTER_KEY</c>
    /// and the operator switches the variable afterwards.
    /// </summary>
    public RotationResult Rotate(KeyLocation keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using var store = KeyStore.Open(keys, time, mayCreate: false);
        if (store.Master.FromEnvironment)
        {
            var text = Environment.GetEnvironmentVariable(MasterKey.NewEnvironmentVariable);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw PlumblineException.BadInput(
                    $"{MasterKey.NewEnvironmentVariable}: the master key comes from {MasterKey.EnvironmentVariable}, so give the new one in {MasterKey.NewEnvironmentVariable} (base64 of 32 random bytes, e.g. openssl rand -base64 32)");
            }

            var fresh = MasterKey.FromBytes(MasterKey.Parse(text, MasterKey.NewEnvironmentVariable), MasterKey.EnvironmentVariable);
            var count = store.Rotate(fresh);
            return new RotationResult(count, MasterKey.EnvironmentVariable, $"set {MasterKey.EnvironmentVariable} to the value of {MasterKey.NewEnvironmentVariable} now; the old key no longer opens the key store");
        }

        var pending = keys.MasterKeyFile + ".new";
        File.Delete(pending);
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(MasterKey.Size);
        MasterKey.WriteFile(pending, key);
        var rewrapped = store.Rotate(MasterKey.FromBytes(key, keys.MasterKeyFile));
        File.Move(pending, keys.MasterKeyFile, overwrite: true);
        return new RotationResult(rewrapped, keys.MasterKeyFile, null);
    }
}
