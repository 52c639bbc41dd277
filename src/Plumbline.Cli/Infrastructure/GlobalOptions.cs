using System.CommandLine;

namespace Plumbline.Cli.Infrastructure;

/// <summary>Options every command understands.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Store = new("--store")
    {
        Description = "The store: a SQLite file path (default .plumbline/plumbline.db, or $PLUMBLINE_STORE), or a PostgreSQL connection string (Host=…;Database=… or postgres://…)",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print one JSON document on stdout and nothing else there",
        Recursive = true,
    };

    public static Option<string> As(string description = "The contributor acting (name or id)") => new("--as")
    {
        Description = description,
        Required = true,
    };
}
