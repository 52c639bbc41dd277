namespace Plumbline.Core.Curation.Agreement;

/// <summary>
/// For each unit (task), how many times each value (class) was given: the reliability data of Krippendorff
/// in the sparse form every agreement coefficient here reads. Units are resampled by weight for bootstraps.
/// </summary>
internal sealed class UnitCounts
{
    private UnitCounts(int units, int values, int[] start, int[] value, int[] count, double[]? valueNumbers)
    {
        Units = units;
        Values = values;
        Start = start;
        Value = value;
        Count = count;
        ValueNumbers = valueNumbers;
        Total = new int[units];
        for (var u = 0; u < units; u++)
        {
            for (var i = start[u]; i < start[u + 1]; i++)
            {
                Total[u] += count[i];
            }
        }
    }

    public int Units { get; }

    public int Values { get; }

    public int[] Start { get; }

    public int[] Value { get; }

    public int[] Count { get; }

    /// <summary>Labels per unit (m_u).</summary>
    public int[] Total { get; }

    public double[]? ValueNumbers { get; }

    public static UnitCounts From(LabelSet set)
    {
        var start = new int[set.Tasks.Count + 1];
        var value = new int[set.Count];
        var count = new int[set.Count];
        var used = 0;
        var scratch = new int[set.ClassCount];
        for (var t = 0; t < set.Tasks.Count; t++)
        {
            for (var i = set.TaskStart[t]; i < set.TaskStart[t + 1]; i++)
            {
                scratch[set.ClassOf[i]]++;
            }

            for (var c = 0; c < scratch.Length; c++)
            {
                if (scratch[c] > 0)
                {
                    value[used] = c;
                    count[used] = scratch[c];
                    used++;
                    scratch[c] = 0;
                }
            }

            start[t + 1] = used;
        }

        return new UnitCounts(set.Tasks.Count, set.ClassCount, start, value[..used], count[..used], set.ClassValues?.ToArray());
    }

    /// <summary>From a coders × units table of numbers (null = missing), as in Krippendorff's papers.</summary>
    public static UnitCounts From(IReadOnlyList<IReadOnlyList<double?>> codersByUnits)
    {
        var distinct = codersByUnits.SelectMany(c => c).Where(v => v.HasValue).Select(v => v!.Value).Distinct().Order().ToArray();
        var units = codersByUnits.Count == 0 ? 0 : codersByUnits.Max(c => c.Count);
        var start = new int[units + 1];
        var value = new List<int>();
        var count = new List<int>();
        for (var u = 0; u < units; u++)
        {
            foreach (var group in codersByUnits.Where(c => u < c.Count && c[u].HasValue).GroupBy(c => Array.BinarySearch(distinct, c[u]!.Value)).OrderBy(g => g.Key))
            {
                value.Add(group.Key);
                count.Add(group.Count());
            }

            start[u + 1] = value.Count;
        }

        return new UnitCounts(units, distinct.Length, start, [.. value], [.. count], distinct);
    }

    /// <summary>Krippendorff's coincidence matrix o[c,k] over pairable units (m_u ≥ 2), each unit counted <c>weight[u]</c> times.</summary>
    public double[,] Coincidences(double[]? weight)
    {
        var o = new double[Values, Values];
        for (var u = 0; u < Units; u++)
        {
            var m = Total[u];
            var w = weight?[u] ?? 1;
            if (m < 2 || w == 0)
            {
                continue;
            }

            var scale = w / (m - 1);
            for (var i = Start[u]; i < Start[u + 1]; i++)
            {
                var c = Value[i];
                var nc = Count[i];
                o[c, c] += scale * nc * (nc - 1);
                for (var j = i + 1; j < Start[u + 1]; j++)
                {
                    var k = Value[j];
                    var x = scale * nc * Count[j];
                    o[c, k] += x;
                    o[k, c] += x;
                }
            }
        }

        return o;
    }
}
