namespace Plumbline.Core.Capture;

/// <summary>Where an event came from; consent is given per source.</summary>
public enum SourceKind
{
    /// <summary>Document edits at any grain (traces, Etherpad, watch, the web editor) and comments.</summary>
    Documents,

    /// <summary>Code history (git).</summary>
    Code,

    /// <summary>Meeting transcripts.</summary>
    Meetings,

    /// <summary>Running commentary notes.</summary>
    Commentary,

    /// <summary>Raw input events (reserved for a desktop recorder).</summary>
    Keystrokes,
}

/// <summary>What kind of thing an event is.</summary>
public enum EventKind
{
    Edit,
    Comment,
    CommentResolved,
    Commit,
    Cue,
    Note,
    Gap,
}

public static class EventNames
{
    public static string Name(this SourceKind source) => source switch
    {
        SourceKind.Documents => "documents",
        SourceKind.Code => "code",
        SourceKind.Meetings => "meetings",
        SourceKind.Commentary => "commentary",
        SourceKind.Keystrokes => "keystrokes",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "unknown source"),
    };

    public static string Name(this EventKind kind) => kind switch
    {
        EventKind.Edit => "edit",
        EventKind.Comment => "comment",
        EventKind.CommentResolved => "comment_resolved",
        EventKind.Commit => "commit",
        EventKind.Cue => "cue",
        EventKind.Note => "note",
        EventKind.Gap => "gap",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown event kind"),
    };

    public static bool TryParseSource(string text, out SourceKind source)
    {
        foreach (var candidate in Enum.GetValues<SourceKind>())
        {
            if (string.Equals(candidate.Name(), text, StringComparison.OrdinalIgnoreCase))
            {
                source = candidate;
                return true;
            }
        }

        source = default;
        return false;
    }

    public static EventKind ParseKind(string text)
    {
        foreach (var candidate in Enum.GetValues<EventKind>())
        {
            if (candidate.Name() == text)
            {
                return candidate;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(text), text, "unknown event kind");
    }
}
