using System.Runtime.InteropServices;

namespace Plumbline.Storage.Keys;

/// <summary>
/// Publishes a fully written temporary file under a name only if nothing has that name yet, atomically: of two
/// processes creating the same key file at once, exactly one wins and the other reads the winner's. (.NET's
/// <c>File.Move(…, overwrite: false)</c> is not enough on Unix: it checks that the target is absent and then
/// renames, and rename replaces a file another process put there in between — a master key could be swapped
/// after data keys were wrapped with it.) On Unix a hard link is made (link(2) fails with EEXIST atomically);
/// on Windows a move without replace is atomic already.
/// </summary>
internal static class NewFile
{
    private const int EEXIST = 17;

    /// <summary>True when <paramref name="temporary"/> became <paramref name="path"/>; false when <paramref name="path"/> already existed (the temporary file is deleted either way).</summary>
    public static bool Publish(string temporary, string path)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                try
                {
                    File.Move(temporary, path, overwrite: false);
                    return true;
                }
                catch (IOException) when (File.Exists(path))
                {
                    return false;
                }
            }

            if (Link(temporary, path) == 0)
            {
                return true;
            }

            var error = Marshal.GetLastPInvokeError();
            if (error == EEXIST)
            {
                return false;
            }

            throw new IOException($"{path}: cannot create it from {temporary} (link failed with errno {error})");
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    // DllImport, not LibraryImport: the generated marshalling needs unsafe code; on Unix strings go to libc as UTF-8.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string created);
#pragma warning restore SYSLIB1054
}
