namespace Plumbline.Core.Curation;

/// <summary>One classification label (crowd-kit's <c>task,worker,label</c>), with the guideline version and item group when the CSV has them.</summary>
/// <param name="Line">The line of the file it came from (1 is the header), for messages.</param>
public sealed record LabelRow(string Task, string Worker, string Label, string? Guideline = null, string? Group = null, int Line = 0);

/// <summary>One pairwise comparison (crowd-kit's <c>worker,task,left,right,label</c>; <paramref name="Label"/> is the preferred item).</summary>
public sealed record PairwiseRow(string Worker, string Task, string Left, string Right, string Label, string? Guideline = null, int Line = 0);

/// <summary>A known answer for a task (gold or honeypot).</summary>
public sealed record GoldRow(string Task, string Label, int Line = 0);
