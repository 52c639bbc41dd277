namespace Plumbline.Core.Text.Diff;

/// <summary>
/// One change of an edit script: <see cref="Deleted"/> code points of the old text at <see cref="A"/> are
/// replaced by <see cref="Inserted"/> code points of the new text at <see cref="B"/>.
/// </summary>
internal readonly record struct DiffHunk(int A, int Deleted, int B, int Inserted);
