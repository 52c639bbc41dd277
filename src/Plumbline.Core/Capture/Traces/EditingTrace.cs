namespace Plumbline.Core.Capture.Traces;

/// <summary>A keystroke-level editing trace in the josephg/editing-traces format.</summary>
public sealed record EditingTrace(string StartContent, string? EndContent, IReadOnlyList<EditTransaction> Transactions)
{
    public int PatchCount => Transactions.Sum(t => t.Patches.Length);
}
