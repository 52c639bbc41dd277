using System.Security.Cryptography;
using Plumbline.Core;

namespace Plumbline.Storage.Keys;

/// <summary>
/// The 256-bit key that wraps every data key: <c>PLUMBLINE_MASTER_KEY</c> (base64 of 32 bytes), else the
/// <c>master.key</c> file in the key folder. The file is created on first use; an operator should move it
/// elsewhere (a secret manager) and provide it through the environment.
/// </summary>
internal sealed class MasterKey
{
    public const string EnvironmentVariable = "PLUMBLINE_MASTER_KEY";
    public const string NewEnvironmentVariable = "PLUMBLINE_NEW_MASTER_KEY";
    public const int Size = 32;

    private MasterKey(byte[] key, string source)
    {
        Key = key;
        Source = source;
    }

    public byte[] Key { get; }

    /// <summary>Where it came from, for <c>plumb keys status</c>: the variable name or the file path.</summary>
    public string Source { get; }

    public bool FromEnvironment => Source == EnvironmentVariable;

    /// <summary>Reads the master key; creates the file only when <paramref name="mayCreate"/> (a new key store).</summary>
    public static MasterKey Load(KeyLocation location, bool mayCreate)
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return new MasterKey(Parse(fromEnvironment, EnvironmentVariable), EnvironmentVariable);
        }

        var file = location.MasterKeyFile;
        if (File.Exists(file))
        {
            return new MasterKey(Parse(File.ReadAllText(file), file), file);
        }

        if (!mayCreate)
        {
            throw PlumblineException.BadInput(
                $"{file}: no master key (and {EnvironmentVariable} is not set); the key store {location.KeyStoreFile} cannot be opened without the master key it was wrapped with");
        }

        var key = RandomNumberGenerator.GetBytes(Size);
        if (!CreateFile(file, key))
        {
            // another process created it first: use theirs
            return new MasterKey(Parse(File.ReadAllText(file), file), file);
        }

        return new MasterKey(key, file);
    }

    /// <summary>Parses base64 of exactly 32 bytes; <paramref name="where"/> names the variable or file in the error.</summary>
    public static byte[] Parse(string text, string where)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw PlumblineException.BadInput($"{where}: a master key is base64 of {Size} random bytes; this is not base64");
        }

        return bytes.Length == Size
            ? bytes
            : throw PlumblineException.BadInput($"{where}: a master key is base64 of {Size} random bytes; this decodes to {bytes.Length} bytes");
    }

    public static MasterKey FromBytes(byte[] key, string source) => new(key, source);

    /// <summary>Writes a key file readable by the owner only (where the platform has Unix permissions).</summary>
    /// <summary>
    /// Creates key file <paramref name="file"/> holding <paramref name="key"/>, whole or not at all (written beside it,
    /// then published with <see cref="NewFile.Publish"/>); false when another process created it first (theirs stays).
    /// </summary>
    internal static bool CreateFile(string file, byte[] key)
    {
        var temporary = $"{file}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        WriteFile(temporary, key);
        return NewFile.Publish(temporary, file);
    }

    public static void WriteFile(string file, byte[] key)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(file, options);
        using var writer = new StreamWriter(stream);
        writer.Write(Convert.ToBase64String(key));
        writer.Write('\n');
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }
}
