namespace Plumbline.Storage.Documents;

/// <summary>
/// The store's log epoch, a random number in <c>meta</c> that every event-log cursor carries (see
/// <see cref="LogCursor"/>). The migration that added it gave each store its own; a restore gives the restored
/// store a new one, because its ids and writing transactions no longer continue the ones a cursor recorded.
/// </summary>
internal static class LogEpoch
{
    public const string MetaKey = "log_epoch";

    /// <summary>A new epoch (1 to 2^62; 0 means a store that has none yet).</summary>
    public static long New() => Random.Shared.NextInt64(1, 1L << 62);
}
