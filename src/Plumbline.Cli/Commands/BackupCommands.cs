using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Storage.Backup;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb backup --out DIR [--keys-only]</c> and <c>plumb restore DIR [--keys-only] [--force]</c>.</summary>
internal static class BackupCommands
{
    public static Command CreateBackup()
    {
        var output = new Option<string>("--out") { Description = "A new (or empty) folder for the backup", Required = true };
        var keys = new Option<bool>("--key-store") { Description = "Back up the key store instead of the data (keep it apart from data backups; the master key is never included)" };
        var command = new Command(
            "backup",
            "Back up the data store (SQLite: a consistent copy; PostgreSQL: a binary COPY of every table) or, with --key-store, the key store. " +
            "A data backup never holds keys; store key backups elsewhere.")
        {
            output, keys,
        };
        return command.WithAction(async (context, ct) =>
        {
            var backup = new StoreBackup(context.Time);
            var manifest = context.Get(keys)
                ? backup.BackupKeys(context.Keys, context.Get(output))
                : await backup.BackupDataAsync(context.Store, context.StorePath, context.Get(output), ct);
            var folder = Path.GetFullPath(context.Get(output));
            if (context.Json)
            {
                context.WriteJson(new
                {
                    folder,
                    kind = manifest.Kind,
                    backend = manifest.Backend,
                    schema_version = manifest.SchemaVersion,
                    key_store = manifest.KeyStore,
                    files = manifest.Files.Select(f => new { name = f.Name, bytes = f.Bytes, sha256 = f.Sha256 }),
                });
                return ExitCodes.Success;
            }

            context.Say($"Backed up the {(manifest.Kind == BackupManifest.KeysKind ? "key store" : "data")} to {folder} ({manifest.Files.Count} file(s), {manifest.Files.Sum(f => f.Bytes):N0} bytes).");
            context.Say(manifest.Kind == BackupManifest.KeysKind
                ? "Keep it apart from data backups; the master key is not in it."
                : "No keys are in it: back up the key store separately (plumb backup --key-store --out DIR2) and keep it elsewhere.");
            return ExitCodes.Success;
        });
    }

    public static Command CreateRestore()
    {
        var from = new Argument<string>("DIR") { Description = "A folder written by plumb backup" };
        var keys = new Option<bool>("--key-store") { Description = "Restore a key store backup into the key folder" };
        var force = new Option<bool>("--force") { Description = "Replace a store (or key store) that holds data" };
        var command = new Command(
            "restore",
            "Restore a data backup into the store (or, with --key-store, a key store backup into the key folder). Refuses a store holding data unless --force. " +
            "Data sealed under keys destroyed since the backup (withdrawals) cannot be decrypted and is dropped; the restore says what.")
        {
            from, keys, force,
        };
        return command.WithAction(async (context, ct) =>
        {
            var backup = new StoreBackup(context.Time);
            var result = context.Get(keys)
                ? backup.RestoreKeys(context.Keys, context.Get(from), context.Get(force))
                : await backup.RestoreDataAsync(context.StorePath, context.Keys, context.Get(from), context.Get(force), ct);
            var dropped = result.Dropped;
            if (context.Json)
            {
                context.WriteJson(new
                {
                    restored = result.Target,
                    kind = result.Manifest.Kind,
                    backup_created_at = result.Manifest.CreatedAt,
                    dropped = dropped is null ? null : new
                    {
                        documents = dropped.DocumentsDropped,
                        documents_truncated = dropped.DocumentsTruncated,
                        chunks = dropped.ChunksDropped,
                        snapshots = dropped.SnapshotsDropped,
                        events = dropped.EventsDropped,
                        terms = dropped.TermsDropped,
                        withdrawals_known = dropped.Tombstones.Count,
                    },
                });
                return ExitCodes.Success;
            }

            context.Say($"Restored {result.Manifest.Kind} from {Path.GetFullPath(context.Get(from))} (taken {result.Manifest.CreatedAt:u}) into {result.Target}.");
            if (dropped is { Changed: true })
            {
                context.Say($"Dropped what can no longer be decrypted (keys destroyed since the backup; {dropped.Tombstones.Count} withdrawal(s) known):");
                foreach (var document in dropped.DocumentsDropped)
                {
                    context.Say($"  removed document {document}");
                }

                foreach (var document in dropped.DocumentsTruncated)
                {
                    context.Say($"  cut document {document} back to before its first undecryptable revision");
                }

                context.Say($"  {dropped.ChunksDropped} chunk(s), {dropped.SnapshotsDropped} snapshot(s), {dropped.EventsDropped} event(s), {dropped.TermsDropped} term(s)");
            }

            return ExitCodes.Success;
        });
    }
}
