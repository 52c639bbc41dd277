namespace Plumbline.Testing;

/// <summary>Finds the repository and the public test data in ../shared/realdata beside it.</summary>
internal static class RealData
{
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Plumbline.slnx")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException($"no Plumbline.slnx above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>The path of a file under ../shared/realdata, or null (with a message for the test output) when it is absent.</summary>
    public static string? Find(string relative, Action<string>? log = null)
    {
        var path = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "realdata", relative));
        if (File.Exists(path))
        {
            return path;
        }

        log?.Invoke($"SKIPPED: real data {path} is absent (expected ../shared/realdata beside the repository)");
        return null;
    }
}
