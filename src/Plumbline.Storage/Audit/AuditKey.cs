using System.Security.Cryptography;
using Plumbline.Core;
using Plumbline.Storage.Keys;

namespace Plumbline.Storage.Audit;

/// <summary>
/// The audit log's HMAC key: 32 bytes, base64, from <c>PLUMBLINE_AUDIT_KEY</c> or the key folder's
/// <c>audit.key</c> (created with fresh random bytes on first use, readable by its owner only). It is never
/// in the store, so whoever can only write the store cannot recompute the chain.
/// </summary>
internal static class AuditKey
{
    public const string EnvironmentVariable = "PLUMBLINE_AUDIT_KEY";

    public const int Bytes = 32;

    /// <summary>The key, creating <c>audit.key</c> when <paramref name="create"/> and there is none; null when there is none and not creating.</summary>
    public static byte[]? Load(KeyLocation keys, bool create)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return Decode(fromEnvironment, EnvironmentVariable);
        }

        if (File.Exists(keys.AuditKeyFile))
        {
            return Decode(File.ReadAllText(keys.AuditKeyFile), keys.AuditKeyFile);
        }

        if (!create)
        {
            return null;
        }

        // Of two processes creating the key at once, one publishes it and both read that one.
        MasterKey.CreateFile(keys.AuditKeyFile, RandomNumberGenerator.GetBytes(Bytes));
        return Decode(File.ReadAllText(keys.AuditKeyFile), keys.AuditKeyFile);
    }

    private static byte[] Decode(string text, string where)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new PlumblineException(FailureKind.Runtime, $"{where}: the audit key is not base64");
        }

        return key.Length == Bytes
            ? key
            : throw new PlumblineException(FailureKind.Runtime, $"{where}: the audit key must be {Bytes} bytes (base64), not {key.Length}");
    }
}
