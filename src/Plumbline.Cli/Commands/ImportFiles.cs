using System.Security.Cryptography;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Storage.Ingest;

namespace Plumbline.Cli.Commands;

/// <summary>What the import verbs share: reading the file whole, naming the document, reporting.</summary>
internal static class ImportFiles
{
    public sealed record Input(FileInfo File, byte[] Bytes, string Sha256);

    public static Input Read(FileInfo file)
    {
        if (!file.Exists)
        {
            throw PlumblineException.BadInput($"FILE: {file.FullName}: no such file");
        }

        var bytes = File.ReadAllBytes(file.FullName);
        return new Input(file, bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary><c>seph-blog1.json.gz</c> → <c>seph-blog1</c>.</summary>
    public static string DocumentName(FileInfo file)
    {
        var name = file.Name;
        foreach (var extension in new[] { ".gz", ".json", ".etherpad", ".txt" })
        {
            if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase) && name.Length > extension.Length)
            {
                name = name[..^extension.Length];
            }
        }

        return name;
    }

    public static void Report(CliContext context, IngestResult result)
    {
        var events = result.AlreadyStored ? 0 : result.Patches;
        if (context.Json)
        {
            context.WriteJson(new
            {
                events,
                documents = new[] { result.Document },
                transactions = result.Transactions,
                revisions = result.AlreadyStored ? 0 : result.StoredRevisions + result.GapRevisions,
                first_revision = result.FirstRevision,
                last_revision = result.LastRevision,
                gaps = result.GapRevisions,
                withheld_transactions = result.WithheldTransactions,
                already_stored = result.AlreadyStored,
            });
            return;
        }

        if (result.AlreadyStored)
        {
            context.Say($"Already stored: this file was imported into {result.Document} before (revisions {result.FirstRevision}–{result.LastRevision}); nothing changed.");
            return;
        }

        context.Say($"Stored {result.Transactions} transactions ({result.Patches} patches) in {result.Document}: revisions {result.FirstRevision}–{result.LastRevision}.");
        if (result.GapRevisions > 0)
        {
            context.Say($"{result.WithheldTransactions} transactions were withheld (paused, unconsented or unmapped authors) and stored as {result.GapRevisions} gap(s).");
        }
    }
}
