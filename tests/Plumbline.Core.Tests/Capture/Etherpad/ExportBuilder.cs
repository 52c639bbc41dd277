using System.Text;
using System.Text.Json.Nodes;

namespace Plumbline.Core.Tests.Capture.Etherpad;

/// <summary>Builds small <c>.etherpad</c> exports for tests: one pad, its revisions in order, its authors.</summary>
internal sealed class ExportBuilder(string padId)
{
    private readonly JsonObject _root = [];
    private int _revisions;

    public ExportBuilder Rev(string changeset, string author = "a.test", long? timestamp = 1000)
    {
        var meta = new JsonObject { ["author"] = author };
        if (timestamp is { } ms)
        {
            meta["timestamp"] = ms;
        }

        return Record($"pad:{padId}:revs:{_revisions++}", new JsonObject { ["changeset"] = changeset, ["meta"] = meta });
    }

    public ExportBuilder Author(string id, string? name) =>
        Record($"globalAuthor:{id}", new JsonObject { ["colorId"] = 1, ["name"] = name, ["padIDs"] = padId });

    public ExportBuilder Record(string key, JsonNode? value)
    {
        _root[key] = value;
        return this;
    }

    /// <summary>Adds the <c>pad:ID</c> record (head: the last revision added unless given) and returns the bytes.</summary>
    public byte[] Build(string headText, int? head = null)
    {
        _root[$"pad:{padId}"] = new JsonObject
        {
            ["atext"] = new JsonObject { ["text"] = headText, ["attribs"] = "" },
            ["pool"] = new JsonObject { ["numToAttrib"] = new JsonObject(), ["nextNum"] = 0 },
            ["head"] = head ?? _revisions - 1,
        };
        return Encoding.UTF8.GetBytes(_root.ToJsonString());
    }
}
