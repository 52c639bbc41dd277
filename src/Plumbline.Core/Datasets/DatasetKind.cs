using Plumbline.Core.Capture;

namespace Plumbline.Core.Datasets;

/// <summary>What a dataset is built from.</summary>
public enum DatasetKind
{
    /// <summary>Document edit histories: the document around the cursor and recent edits → the next edit unit.</summary>
    NextEdit,

    /// <summary>Comments: the document, the commented range and the comment → the author's edits answering it.</summary>
    Feedback,

    /// <summary>Meeting transcripts as conversations: the meeting so far → the next speaker's turn.</summary>
    Dialogue,

    /// <summary>Imported git history: the diff → the commit message.</summary>
    Commits,
}

/// <summary>How each example line is written.</summary>
public enum DatasetFormat
{
    /// <summary><c>{"messages": [{"role", "content"}, …]}</c> (OpenAI / Hugging Face chat JSONL).</summary>
    Chat,

    /// <summary><c>{"prompt", "completion"}</c>.</summary>
    Completion,

    /// <summary><c>{"events", "input", "output"}</c> as in Zed's Zeta dataset (next-edit only).</summary>
    Zeta,
}

public static class DatasetNames
{
    public static string Name(this DatasetKind kind) => kind switch
    {
        DatasetKind.NextEdit => "next-edit",
        DatasetKind.Feedback => "feedback",
        DatasetKind.Dialogue => "dialogue",
        DatasetKind.Commits => "commits",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown kind"),
    };

    public static string Name(this DatasetFormat format) => format switch
    {
        DatasetFormat.Chat => "chat",
        DatasetFormat.Completion => "completion",
        DatasetFormat.Zeta => "zeta",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown format"),
    };

    public static string Name(this SplitBy by) => by == SplitBy.Contributor ? "contributor" : "document";

    /// <summary>The source whose consent a kind needs.</summary>
    public static SourceKind Source(this DatasetKind kind) => kind switch
    {
        DatasetKind.NextEdit or DatasetKind.Feedback => SourceKind.Documents,
        DatasetKind.Dialogue => SourceKind.Meetings,
        DatasetKind.Commits => SourceKind.Code,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown kind"),
    };

    public static DatasetKind ParseKind(string text) =>
        Enum.GetValues<DatasetKind>().FirstOrDefault(k => k.Name() == text, (DatasetKind)(-1)) is var kind && (int)kind >= 0
            ? kind
            : throw PlumblineException.BadInput($"KIND: '{text}' is not one of next-edit, feedback, dialogue, commits");

    public static DatasetFormat ParseFormat(string text) =>
        Enum.GetValues<DatasetFormat>().FirstOrDefault(k => k.Name() == text, (DatasetFormat)(-1)) is var format && (int)format >= 0
            ? format
            : throw PlumblineException.BadInput($"--format: '{text}' is not one of chat, completion, zeta");

    public static SplitBy ParseSplitBy(string text) => text switch
    {
        "contributor" => SplitBy.Contributor,
        "document" => SplitBy.Document,
        _ => throw PlumblineException.BadInput($"--split-by: '{text}' is not one of contributor, document"),
    };
}
