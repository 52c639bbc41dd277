using Plumbline.Core;

namespace Plumbline.Storage.Backup;

/// <summary>Writes a backup into a temporary sibling folder and renames it into place when complete, so a failed backup leaves nothing.</summary>
internal static class BackupFolder
{
    public static string Begin(string outDir)
    {
        var full = Path.GetFullPath(outDir);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw PlumblineException.BadInput($"--out: {full} is not empty; give a new folder for the backup");
        }

        if (File.Exists(full))
        {
            throw PlumblineException.BadInput($"--out: {full} is a file; give a new folder for the backup");
        }

        var partial = full.TrimEnd(Path.DirectorySeparatorChar) + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(partial);
        return partial;
    }

    public static void Complete(string partial, string outDir)
    {
        var full = Path.GetFullPath(outDir);
        if (Directory.Exists(full))
        {
            Directory.Delete(full);
        }

        Directory.Move(partial, full);
    }

    public static void Abandon(string partial)
    {
        try
        {
            Directory.Delete(partial, recursive: true);
        }
        catch (IOException)
        {
            // best effort: the folder is named .partial-… and holds no complete backup
        }
    }
}
