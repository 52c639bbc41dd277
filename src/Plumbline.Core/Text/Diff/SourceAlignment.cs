namespace Plumbline.Core.Text.Diff;

/// <summary>
/// Carries edits made to a source's own text over to the stored text, which differs from it where
/// content was withheld (masked gaps) or redacted (placeholders). The two texts are aligned with a
/// minimal diff; positions in equal stretches map one to one, and an edit that reaches into a
/// differing stretch covers all of it (a placeholder is replaced whole, never cut).
/// </summary>
public static class SourceAlignment
{
    /// <summary>Patches for <paramref name="stored"/> doing what <paramref name="sourcePatches"/> do to <paramref name="source"/>.</summary>
    public static Patch[] Map(Patch[] sourcePatches, string source, string stored)
    {
        ArgumentNullException.ThrowIfNull(sourcePatches);
        if (source == stored || sourcePatches.Length == 0)
        {
            return sourcePatches;
        }

        var hunks = Hunks(TextDiff.Diff(source, stored));
        var mapped = new Patch[sourcePatches.Length];
        var sourceShift = 0;
        var storedShift = 0;
        for (var k = 0; k < sourcePatches.Length; k++)
        {
            var patch = sourcePatches[k];
            var start = patch.Position - sourceShift;
            var end = start + patch.Delete;
            var storedStart = MapStart(hunks, start);
            var storedEnd = Math.Max(storedStart, MapEnd(hunks, end));
            mapped[k] = new Patch(storedStart + storedShift, storedEnd - storedStart, patch.Insert);
            sourceShift += patch.InsertLength - patch.Delete;
            storedShift += patch.InsertLength - (storedEnd - storedStart);
        }

        return mapped;
    }

    /// <summary>Each differing stretch as [SourceStart, SourceEnd) ↔ [StoredStart, StoredEnd).</summary>
    private static List<(int SourceStart, int SourceEnd, int StoredStart, int StoredEnd)> Hunks(Patch[] alignment)
    {
        var hunks = new List<(int, int, int, int)>(alignment.Length);
        var shift = 0;
        foreach (var patch in alignment)
        {
            var sourceStart = patch.Position - shift;
            hunks.Add((sourceStart, sourceStart + patch.Delete, patch.Position, patch.Position + patch.InsertLength));
            shift += patch.InsertLength - patch.Delete;
        }

        return hunks;
    }

    private static int MapStart(List<(int SourceStart, int SourceEnd, int StoredStart, int StoredEnd)> hunks, int position)
    {
        var shift = 0;
        foreach (var (sourceStart, sourceEnd, storedStart, storedEnd) in hunks)
        {
            if (position <= sourceStart)
            {
                break;
            }

            if (position < sourceEnd)
            {
                return storedStart;
            }

            shift = storedEnd - sourceEnd;
        }

        return position + shift;
    }

    private static int MapEnd(List<(int SourceStart, int SourceEnd, int StoredStart, int StoredEnd)> hunks, int position)
    {
        var shift = 0;
        foreach (var (sourceStart, sourceEnd, storedStart, storedEnd) in hunks)
        {
            if (position < sourceStart || (position == sourceStart && sourceStart == sourceEnd))
            {
                break;
            }

            if (position <= sourceEnd && position > sourceStart)
            {
                return storedEnd;
            }

            shift = storedEnd - sourceEnd;
        }

        return position + shift;
    }
}
