using Microsoft.Data.Sqlite;

namespace Plumbline.Storage.Backup;

/// <summary>Carries the current key store's destroyed keys and tombstones into a restored one, and removes those keys from it.</summary>
internal static class KeyStoreMerge
{
    public static void KeepDestroyed(string current, string restored)
    {
        using var connection = new SqliteConnection($"Data Source={restored};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA secure_delete = ON;
            ATTACH DATABASE $current AS current;
            BEGIN IMMEDIATE;
            INSERT OR IGNORE INTO main.destroyed_keys SELECT * FROM current.destroyed_keys;
            INSERT INTO main.tombstones (contributor_id, source, withdrawn_at, keys_destroyed)
                SELECT contributor_id, source, withdrawn_at, keys_destroyed FROM current.tombstones t
                WHERE NOT EXISTS (SELECT 1 FROM main.tombstones m WHERE m.contributor_id = t.contributor_id
                    AND m.source IS t.source AND m.withdrawn_at = t.withdrawn_at);
            UPDATE main.data_keys SET wrapped = zeroblob(length(wrapped)) WHERE id IN (SELECT id FROM main.destroyed_keys);
            DELETE FROM main.data_keys WHERE id IN (SELECT id FROM main.destroyed_keys);
            COMMIT;
            DETACH DATABASE current;
            """;
        command.Parameters.AddWithValue("$current", current);
        command.ExecuteNonQuery();
    }
}
