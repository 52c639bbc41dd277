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

    public static readonly Option<string?> Keys = new("--keys")
    {
        Description = "The key folder, kept apart from the data (or $PLUMBLINE_KEYS; default: beside a SQLite store as STORE.keys/)",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print one JSON document on stdout and nothing else there",
        Recursive = true,
    };

    public static readonly Option<string?> Server = new("--server")
    {
        Description = "Team mode: send the command to this Plumbline server (or $PLUMBLINE_SERVER) instead of opening a store",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "Team mode: the API token (or $PLUMBLINE_TOKEN); it decides who you are",
        Recursive = true,
    };

    /// <summary>
    /// <c>--as</c>: required on a local store, refused in team mode (the token decides identity); read it
    /// with <see cref="CliContext.Actor"/>, which enforces both.
    /// </summary>
    public static Option<string> As(string description = "The contributor acting (name or id); on a local store only") => new("--as")
    {
        Description = description,
    };
}
