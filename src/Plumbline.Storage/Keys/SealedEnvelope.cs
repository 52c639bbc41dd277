using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Plumbline.Storage.Keys;

/// <summary>
/// The stored form of an encrypted value, version 1: <c>[version=1][key id, int64 little-endian][nonce, 12][tag, 16][ciphertext]</c>.
/// AES-256-GCM; the associated data is the 9-byte header followed by the UTF-8 context naming the row
/// (for example <c>edit_chunks/12/40</c>), so a ciphertext moved to another row, or given another key id, fails to open.
/// </summary>
internal static class SealedEnvelope
{
    public const byte Version = 1;
    public const int HeaderSize = 1 + sizeof(long);
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int Overhead = HeaderSize + NonceSize + TagSize;

    public static byte[] Seal(long keyId, AesGcm aes, ReadOnlySpan<byte> plaintext, string context)
    {
        var sealedBytes = new byte[Overhead + plaintext.Length];
        var span = sealedBytes.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..HeaderSize], keyId);
        var nonce = span.Slice(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var tag = span.Slice(HeaderSize + NonceSize, TagSize);
        var cipher = span[Overhead..];
        aes.Encrypt(nonce, plaintext, cipher, tag, AssociatedData(span[..HeaderSize], context));
        return sealedBytes;
    }

    /// <summary>The key id of a sealed value, or null when <paramref name="sealedBytes"/> is not a version-1 envelope.</summary>
    public static long? KeyId(ReadOnlySpan<byte> sealedBytes) =>
        sealedBytes.Length >= Overhead && sealedBytes[0] == Version ? BinaryPrimitives.ReadInt64LittleEndian(sealedBytes[1..HeaderSize]) : null;

    /// <summary>The key id from the first <see cref="HeaderSize"/> bytes of a sealed value, or null when they are not a version-1 header.</summary>
    public static long? HeaderKeyId(byte[]? header) =>
        header is { Length: >= HeaderSize } && header[0] == Version ? BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(1, sizeof(long))) : null;

    /// <summary>Decrypts, or returns false when the tag does not match (wrong key, wrong row, or altered bytes).</summary>
    public static bool TryOpen(AesGcm aes, ReadOnlySpan<byte> sealedBytes, string context, out byte[] plaintext)
    {
        plaintext = new byte[sealedBytes.Length - Overhead];
        try
        {
            aes.Decrypt(
                sealedBytes.Slice(HeaderSize, NonceSize),
                sealedBytes[Overhead..],
                sealedBytes.Slice(HeaderSize + NonceSize, TagSize),
                plaintext,
                AssociatedData(sealedBytes[..HeaderSize], context));
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            plaintext = [];
            return false;
        }
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, string context)
    {
        var data = new byte[header.Length + Encoding.UTF8.GetByteCount(context)];
        header.CopyTo(data);
        Encoding.UTF8.GetBytes(context, data.AsSpan(header.Length));
        return data;
    }
}
