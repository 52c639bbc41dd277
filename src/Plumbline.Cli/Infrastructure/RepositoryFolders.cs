namespace Plumbline.Cli.Infrastructure;

/// <summary>Folders relative to the Plumbline checkout (the folder holding <c>Plumbline.slnx</c>), found from the current folder or from where plumb was built.</summary>
internal static class RepositoryFolders
{
    /// <summary>The full path of <paramref name="relative"/> under the checkout, or null when there is no checkout or no such folder.</summary>
    public static string? Find(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(Path.Combine(dir.FullName, "Plumbline.slnx")) && Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        return null;
    }
}
