namespace Plumbline.Core;

/// <summary>What went wrong, which decides the exit code and the HTTP status.</summary>
public enum FailureKind
{
    /// <summary>A runtime failure (exit 1).</summary>
    Runtime = 1,

    /// <summary>Bad input or usage (exit 2): the message names the file and place, or the argument.</summary>
    BadInput = 2,

    /// <summary>A check did not pass (exit 3): consent refused, a gate failed, verification failed.</summary>
    Refused = 3,

    /// <summary>Something named does not exist (exit 2 on the CLI).</summary>
    NotFound = 4,

    /// <summary>The input was based on a state that has changed since (exit 2 on the CLI, HTTP 409).</summary>
    Conflict = 5,
}

/// <summary>The one exception type for expected failures.</summary>
public sealed class PlumblineException : Exception
{
    public PlumblineException(FailureKind kind, string message, bool isTransient = false, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        IsTransient = isTransient;
    }

    public FailureKind Kind { get; }

    /// <summary>True when retrying the same call may succeed (a busy database, an overloaded model).</summary>
    public bool IsTransient { get; }

    public static PlumblineException BadInput(string message) => new(FailureKind.BadInput, message);

    public static PlumblineException Refused(string message) => new(FailureKind.Refused, message);

    public static PlumblineException NotFound(string message) => new(FailureKind.NotFound, message);

    /// <summary>A stale base: <paramref name="currentRevision"/> is kept in <see cref="Exception.Data"/> under <see cref="CurrentRevisionKey"/>.</summary>
    public static PlumblineException Conflict(string message, int currentRevision)
    {
        var e = new PlumblineException(FailureKind.Conflict, message);
        e.Data[CurrentRevisionKey] = currentRevision;
        return e;
    }

    public const string CurrentRevisionKey = "current_revision";
}
