using Plumbline.Core;
using Plumbline.Storage.Keys;

namespace Plumbline.Storage.Audit;

/// <summary>
/// <c>audit.head</c> in the key folder: the longest head this folder has seen. It only moves forward, so
/// entries removed from the end of the log (which leave a valid, shorter chain) are still noticed.
/// </summary>
internal static class AuditHeadFile
{
    public static AuditHead? Read(KeyLocation keys)
    {
        var path = keys.AuditHeadFile;
        return File.Exists(path) ? AuditHead.Parse(File.ReadAllText(path), path) : null;
    }

    /// <summary>Records <paramref name="head"/> unless the file already holds a longer one (several processes append).</summary>
    public static void Advance(KeyLocation keys, AuditHead head)
    {
        Directory.CreateDirectory(keys.Directory);
        using var guard = Lock(keys.AuditHeadFile + ".lock");
        if (Read(keys) is { } known && known.Count >= head.Count)
        {
            return;
        }

        var temporary = keys.AuditHeadFile + ".new-" + Environment.ProcessId;
        File.WriteAllText(temporary, head + "\n");
        File.Move(temporary, keys.AuditHeadFile, overwrite: true);
    }

    /// <summary>An exclusive lock on a file beside the head, held while it is read and replaced.</summary>
    private static FileStream Lock(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 200)
            {
                Thread.Sleep(5);
            }
            catch (IOException e)
            {
                throw new PlumblineException(FailureKind.Runtime, $"{path}: could not lock the audit head file: {e.Message}", isTransient: true, inner: e);
            }
        }
    }
}
