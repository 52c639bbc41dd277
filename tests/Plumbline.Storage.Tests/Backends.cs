namespace Plumbline.Storage.Tests;

/// <summary>The backends every store test runs against.</summary>
public static class Backends
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static TheoryData<string> All => new(Sqlite, Postgres);

    /// <summary>Every backend with every value: (backend, value).</summary>
    public static TheoryData<string, string> Cross(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var data = new TheoryData<string, string>();
        foreach (var backend in new[] { Sqlite, Postgres })
        {
            foreach (var value in values)
            {
                data.Add(backend, value);
            }
        }

        return data;
    }
}
