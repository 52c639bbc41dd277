using System.Globalization;
using System.Text.Json;
using Plumbline.Core.Text;

namespace Plumbline.Core.Capture.Etherpad;

/// <summary>The records of one export and the replay of the chosen pad's revisions.</summary>
internal sealed class EtherpadExport(string file, long fallbackTime)
{
    public EtherpadPad Read(JsonElement root, string? padId)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Bad("$", $"expected an object of records, found {InputErrors.Describe(root)}");
        }

        var pads = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        var authors = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var record in root.EnumerateObject())
        {
            var parts = record.Name.Split(':');
            if (parts.Length != 2 || (parts[0] != "pad" && parts[0] != "globalAuthor"))
            {
                continue;
            }

            if (parts[1].Length == 0)
            {
                throw Bad(record.Name, "the id after the colon is empty");
            }

            var added = parts[0] == "pad"
                ? pads.TryAdd(parts[1], record.Value)
                : authors.TryAdd(parts[1], ReadAuthorName(record));
            if (!added)
            {
                throw Bad(record.Name, "the record appears twice");
            }
        }

        var id = SelectPad(pads, padId);
        var key = "pad:" + id;
        var pad = RequireObject(pads[id], key);
        var atext = RequireObject(Property(pad, key, "atext") ?? throw Bad(key + ".atext", "missing"), key + ".atext");
        var endText = ReadString(atext, key + ".atext", "text") ?? throw Bad(key + ".atext.text", "missing");
        var head = ReadHead(pad, key);
        var revisions = CollectRevisions(root, id, head);
        var transactions = Replay(id, head, revisions, authors, out var text);
        if (!string.Equals(text, endText, StringComparison.Ordinal))
        {
            throw Bad(key + ".atext.text", $"the revisions replay to a different text ({CodePoints.Count(text)} code points) " +
                $"than the head text ({CodePoints.Count(endText)} code points), first differing at code point {FirstDifference(text, endText)}");
        }

        return new EtherpadPad(id, EtherpadPad.NewPadText, transactions, endText, authors);
    }

    private List<EditTransaction> Replay(
        string id, int head, Dictionary<int, JsonElement> revisions, Dictionary<string, string?> authors, out string text)
    {
        text = EtherpadPad.NewPadText;
        var transactions = new List<EditTransaction>(revisions.Count);
        var patches = new List<Patch>();
        for (var n = 0; n <= head; n++)
        {
            var key = $"pad:{id}:revs:{n}";
            if (!revisions.TryGetValue(n, out var value))
            {
                throw Bad(key, $"missing (the pad's head is {head}, so revisions 0 to {head} are expected)");
            }

            var revision = RequireObject(value, key);
            var changeset = ReadString(revision, key, "changeset") ?? throw Bad(key + ".changeset", "missing");
            patches.Clear();
            try
            {
                text = Changeset.Parse(changeset).Apply(text, patches);
            }
            catch (FormatException e)
            {
                throw Bad(key + ".changeset", $"{e.Message} at revision {n}");
            }

            string? author = null;
            long? time = null;
            if (Property(revision, key, "meta") is { } metaValue && metaValue.ValueKind != JsonValueKind.Null)
            {
                var meta = RequireObject(metaValue, key + ".meta");
                author = ReadString(meta, key + ".meta", "author") is { Length: > 0 } a ? a : null;
                time = ReadTime(meta, key + ".meta");
                CheckKeyText(meta, key + ".meta", text);
            }

            if (author is not null)
            {
                authors.TryAdd(author, null);
            }

            transactions.Add(new EditTransaction(time ?? fallbackTime, [.. patches], author));
        }

        return transactions;
    }

    /// <summary>Etherpad stores the full text in some revisions' <c>meta.atext</c>; it must match the replay.</summary>
    private void CheckKeyText(JsonElement meta, string path, string text)
    {
        if (Property(meta, path, "atext") is not { ValueKind: not JsonValueKind.Null } atextValue)
        {
            return;
        }

        var atext = RequireObject(atextValue, path + ".atext");
        if (ReadString(atext, path + ".atext", "text") is { } stored && !string.Equals(stored, text, StringComparison.Ordinal))
        {
            throw Bad(path + ".atext.text", $"the stored text ({CodePoints.Count(stored)} code points) differs from the replayed " +
                $"text ({CodePoints.Count(text)} code points) from code point {FirstDifference(stored, text)}");
        }
    }

    private string SelectPad(SortedDictionary<string, JsonElement> pads, string? padId)
    {
        var list = string.Join(", ", pads.Keys);
        if (padId is not null)
        {
            return pads.ContainsKey(padId)
                ? padId
                : throw PlumblineException.BadInput($"{file}: no record \"pad:{padId}\" (the file holds {(pads.Count == 0 ? "no pads" : list)})");
        }

        return pads.Count switch
        {
            0 => throw PlumblineException.BadInput($"{file}: no pad record (a \"pad:ID\" key) in the file"),
            1 => pads.Keys.First(),
            _ => throw PlumblineException.BadInput($"{file}: the file holds {pads.Count} pads ({list}); name the one to import"),
        };
    }

    private Dictionary<int, JsonElement> CollectRevisions(JsonElement root, string id, int head)
    {
        var prefix = $"pad:{id}:revs:";
        var revisions = new Dictionary<int, JsonElement>();
        foreach (var record in root.EnumerateObject())
        {
            if (!record.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var number = record.Name[prefix.Length..];
            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                || n.ToString(CultureInfo.InvariantCulture) != number)
            {
                throw Bad(record.Name, $"'{number}' is not a revision number");
            }

            if (n > head)
            {
                throw Bad(record.Name, $"revision {n} is past the pad's head {head}");
            }

            if (!revisions.TryAdd(n, record.Value))
            {
                throw Bad(record.Name, "the record appears twice");
            }
        }

        return revisions;
    }

    private int ReadHead(JsonElement pad, string path)
    {
        var head = Property(pad, path, "head") ?? throw Bad(path + ".head", "missing");
        if (head.ValueKind != JsonValueKind.Number || !head.TryGetInt32(out var value) || value < 0)
        {
            throw Bad(path + ".head", $"expected the head revision as a non-negative integer, found {InputErrors.Describe(head)}");
        }

        return value;
    }

    private long? ReadTime(JsonElement meta, string path)
    {
        if (Property(meta, path, "timestamp") is not { ValueKind: not JsonValueKind.Null } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var ms))
        {
            throw Bad(path + ".timestamp", $"expected milliseconds since 1970 as an integer, found {InputErrors.Describe(value)}");
        }

        return ms;
    }

    private string? ReadAuthorName(JsonProperty record)
    {
        var author = RequireObject(record.Value, record.Name);
        return ReadString(author, record.Name, "name");
    }

    /// <summary>The string property <paramref name="name"/>, or null when it is absent or null.</summary>
    private string? ReadString(JsonElement obj, string path, string name)
    {
        if (Property(obj, path, name) is not { ValueKind: not JsonValueKind.Null } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Bad($"{path}.{name}", $"expected a string, found {InputErrors.Describe(value)}");
    }

    private JsonElement? Property(JsonElement obj, string path, string name)
    {
        JsonElement? found = null;
        foreach (var property in obj.EnumerateObject())
        {
            if (property.NameEquals(name))
            {
                found = found is null ? property.Value : throw Bad($"{path}.{name}", "the field appears twice");
            }
        }

        return found;
    }

    private JsonElement RequireObject(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Object ? value : throw Bad(path, $"expected an object, found {InputErrors.Describe(value)}");

    private static int FirstDifference(string a, string b)
    {
        var common = a.AsSpan().CommonPrefixLength(b);
        return CodePoints.Count(a.AsSpan(0, common));
    }


    private PlumblineException Bad(string path, string message) => PlumblineException.BadInput($"{file}: {path}: {message}");
}
