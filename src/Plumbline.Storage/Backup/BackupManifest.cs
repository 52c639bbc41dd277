using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Plumbline.Core;

namespace Plumbline.Storage.Backup;

/// <summary>One file of a backup and its SHA-256 (lowercase hex).</summary>
public sealed record BackupFile(string Name, long Bytes, string Sha256);

/// <summary>
/// <c>backup.json</c>: what a backup folder holds. <see cref="Kind"/> is <c>data</c> (the store, never keys)
/// or <c>keys</c> (the key store, never the master key); <see cref="KeyStore"/> ties the two halves together.
/// </summary>
public sealed record BackupManifest(
    string Format,
    int Version,
    string Kind,
    string Backend,
    int SchemaVersion,
    DateTimeOffset CreatedAt,
    long? KeyStore,
    IReadOnlyList<BackupFile> Files,
    IReadOnlyDictionary<string, long>? Sequences = null)
{
    public const string FileName = "backup.json";
    public const string FormatName = "plumbline-backup";
    public const string DataKind = "data";
    public const string KeysKind = "keys";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static BackupFile Describe(string path) =>
        new(Path.GetFileName(path), new FileInfo(path).Length, Sha256(path));

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Write(string folder) => File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>Reads and checks a backup folder: the manifest, its kind, and every file's size and hash. Errors name the file (exit 2).</summary>
    public static BackupManifest Read(string folder, string expectedKind)
    {
        folder = Path.GetFullPath(folder);
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw PlumblineException.BadInput($"{path}: not a Plumbline backup (no {FileName})");
        }

        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BackupManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw PlumblineException.BadInput($"{path}: not a valid backup manifest ({e.Message})");
        }

        if (manifest is null || manifest.Format != FormatName || manifest.Files is null)
        {
            throw PlumblineException.BadInput($"{path}: not a Plumbline backup manifest (format must be '{FormatName}')");
        }

        if (manifest.Version != 1)
        {
            throw PlumblineException.BadInput($"{path}: backup format version {manifest.Version} is not known (this Plumbline reads version 1)");
        }

        if (manifest.Kind != expectedKind)
        {
            throw PlumblineException.BadInput(
                expectedKind == KeysKind
                    ? $"{path}: this is a {manifest.Kind} backup; a key store backup is restored with plumb restore --key-store"
                    : $"{path}: this is a {manifest.Kind} backup; restore it with plumb restore --key-store DIR");
        }

        foreach (var file in manifest.Files)
        {
            var full = Path.Combine(folder, file.Name);
            if (file.Name.Contains('/') || file.Name.Contains('\\') || file.Name == FileName)
            {
                throw PlumblineException.BadInput($"{path}: file name '{file.Name}' is not allowed in a backup");
            }

            if (!File.Exists(full))
            {
                throw PlumblineException.BadInput($"{full}: missing (listed in {FileName})");
            }

            if (new FileInfo(full).Length != file.Bytes || Sha256(full) != file.Sha256)
            {
                throw PlumblineException.BadInput($"{full}: corrupt (its size or SHA-256 does not match {FileName})");
            }
        }

        return manifest;
    }
}
