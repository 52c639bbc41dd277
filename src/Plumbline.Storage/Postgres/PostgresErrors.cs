using Npgsql;
using Plumbline.Core;

namespace Plumbline.Storage.Postgres;

/// <summary>
/// Maps Npgsql's exceptions to the project's: serialization failures, deadlocks, a row that a
/// concurrent writer inserted first, and lost connections are transient (the caller re-runs the whole
/// session); everything else is a runtime failure naming the store.
/// </summary>
internal static class PostgresErrors
{
    public static PlumblineException Map(NpgsqlException error, string store) => error switch
    {
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected } e =>
            new PlumblineException(FailureKind.Runtime, $"{store}: {e.MessageText} (SQLSTATE {e.SqlState}); retry", isTransient: true, error),
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } e =>
            new PlumblineException(FailureKind.Runtime, $"{store}: a concurrent writer stored the same row first ({e.ConstraintName}); retry", isTransient: true, error),
        PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } e =>
            new PlumblineException(FailureKind.Runtime, $"{store}: {e.MessageText} (see the README, 'PostgreSQL (team stores)', for the grants Plumbline needs)", isTransient: false, error),
        PostgresException e =>
            new PlumblineException(FailureKind.Runtime, $"{store}: {e.MessageText} (SQLSTATE {e.SqlState})", e.IsTransient, error),
        _ => new PlumblineException(FailureKind.Runtime, $"{store}: {error.Message}", error.IsTransient, error),
    };

    /// <summary>Runs <paramref name="work"/>, mapping Npgsql's exceptions.</summary>
    public static async Task<T> GuardAsync<T>(string store, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (NpgsqlException e)
        {
            throw Map(e, store);
        }
    }

    public static async Task GuardAsync(string store, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (NpgsqlException e)
        {
            throw Map(e, store);
        }
    }
}
