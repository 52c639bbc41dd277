namespace Plumbline.Core.Capture.Etherpad;

/// <summary>
/// One pad read from an <c>.etherpad</c> export: pad revision <c>r</c> is transaction <c>r</c>, its patches in
/// code points. <see cref="Authors"/> maps every Etherpad author id the file or the revisions name to the
/// display name from its <c>globalAuthor</c> record (null when it has none).
/// </summary>
public sealed record EtherpadPad(
    string PadId,
    string StartContent,
    IReadOnlyList<EditTransaction> Transactions,
    string EndContent,
    IReadOnlyDictionary<string, string?> Authors)
{
    /// <summary>The text every Etherpad pad starts from, before revision 0.</summary>
    public const string NewPadText = "\n";

    public int PatchCount => Transactions.Sum(t => t.Patches.Length);
}
