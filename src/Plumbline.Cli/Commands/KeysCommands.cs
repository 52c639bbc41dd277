using System.CommandLine;
using Plumbline.Cli.Infrastructure;
using Plumbline.Storage.Keys;

namespace Plumbline.Cli.Commands;

/// <summary><c>plumb keys status</c> and <c>plumb keys rotate</c>: the key store (never prints a key).</summary>
internal static class KeysCommands
{
    public static Command Create() => new("keys", "Encryption keys: the key store beside the data (see README: Keys, encryption and backups)")
    {
        CreateStatus(),
        CreateRotate(),
    };

    private static Command CreateStatus()
    {
        var command = new Command("status", "How many data keys, where the master key comes from, where the key store is. Never prints a key.");
        return command.WithAction((context, ct) =>
        {
            context.RequireLocal();
            var status = new KeyAdmin(context.Time).Status(context.Keys);
            if (context.Json)
            {
                context.WriteJson(new
                {
                    key_folder = status.KeyFolder,
                    key_store = status.KeyStoreFile,
                    master_key = status.MasterKeySource,
                    key_store_id = status.StoreId,
                    active_keys = status.ActiveKeys,
                    retired_keys = status.RetiredKeys,
                    destroyed_keys = status.DestroyedKeys,
                    active_by_kind = status.ActiveByKind,
                    tombstones = status.Tombstones.Select(t => new { contributor_id = t.ContributorId, source = t.Source, withdrawn_at = Iso(t.WithdrawnAt), keys_destroyed = t.KeysDestroyed }),
                });
                return Task.FromResult(ExitCodes.Success);
            }

            context.Say($"Key store: {status.KeyStoreFile} (id {status.StoreId})");
            context.Say($"Master key: {status.MasterKeySource}");
            context.Say($"Data keys: {status.ActiveKeys} active, {status.RetiredKeys} retired, {status.DestroyedKeys} destroyed");
            foreach (var (kind, count) in status.ActiveByKind)
            {
                context.Say($"  {kind}: {count}");
            }

            foreach (var tombstone in status.Tombstones)
            {
                context.Say($"Withdrawn: contributor {tombstone.ContributorId} ({tombstone.Source ?? "all sources"}) at {Iso(tombstone.WithdrawnAt)}, {tombstone.KeysDestroyed} key(s) destroyed");
            }

            return Task.FromResult(ExitCodes.Success);
        });
    }

    private static Command CreateRotate()
    {
        var command = new Command(
            "rotate",
            "Replace the master key: every data key is rewrapped under a new one in one transaction; the old master key is no longer needed. " +
            "With PLUMBLINE_MASTER_KEY, give the new key in PLUMBLINE_NEW_MASTER_KEY and switch the variable afterwards.");
        return command.WithAction((context, ct) =>
        {
            context.RequireLocal();
            var result = new KeyAdmin(context.Time).Rotate(context.Keys);
            if (context.Json)
            {
                context.WriteJson(new { keys_rewrapped = result.KeysRewrapped, master_key = result.NewMasterKeySource, instruction = result.Instruction });
                return Task.FromResult(ExitCodes.Success);
            }

            context.Say($"Rewrapped {result.KeysRewrapped} data key(s) under a new master key ({result.NewMasterKeySource}).");
            if (result.Instruction is { } instruction)
            {
                context.Say(instruction);
            }

            return Task.FromResult(ExitCodes.Success);
        });
    }

    private static string Iso(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
}
