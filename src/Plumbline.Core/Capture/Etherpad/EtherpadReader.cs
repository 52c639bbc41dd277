using System.Text.Json;

namespace Plumbline.Core.Capture.Etherpad;

/// <summary>
/// Reads an Etherpad <c>.etherpad</c> export: one JSON object of records, <c>pad:ID</c> (<c>atext</c>,
/// <c>pool</c>, <c>head</c>), <c>pad:ID:revs:N</c> (<c>changeset</c>, <c>meta.author</c>, <c>meta.timestamp</c>
/// in ms) and <c>globalAuthor:AUTHOR</c> (<c>name</c>). Revisions 0 to head are replayed from
/// <see cref="EtherpadPad.NewPadText"/>, each becoming one transaction; the result must equal the head text.
/// Errors name the file and the record and field.
/// </summary>
public static class EtherpadReader
{
    /// <summary>
    /// Parses an export. <paramref name="fileName"/> names the input in messages; <paramref name="fallbackTime"/>
    /// (ms since 1970) is used for revisions without a timestamp; <paramref name="padId"/> picks the pad when the
    /// file holds several.
    /// </summary>
    public static EtherpadPad Parse(byte[] bytes, string fileName, long fallbackTime, string? padId = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(fileName);
        var json = bytes.AsMemory();
        if (json.Span.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw InputErrors.MalformedJson(fileName, e);
        }

        using (document)
        {
            return new EtherpadExport(fileName, fallbackTime).Read(document.RootElement, padId);
        }
    }

}
