namespace Plumbline.Core.Text.Diff;

/// <summary>
/// A shortest edit script between two code point sequences: E. W. Myers, "An O(ND) Difference Algorithm
/// and Its Variations", Algorithmica 1 (1986), with the linear-space refinement of section 4b. Each
/// sub-problem is trimmed of its common prefix and suffix, then the middle snake — found by running the
/// greedy search forward from the start and backward from the end until the two meet — splits it into
/// two halves of at most ⌈D/2⌉ edits each, which are solved recursively. Time O((N+M)·D), space O(N+M).
/// </summary>
internal sealed class MyersDiff
{
    private readonly int[] _a;
    private readonly int[] _b;
    private readonly long _maxEditDistance;

    // Furthest-reaching x on diagonal k = x − y, at index _center + k; −1 means not reached. The backward
    // search counts x and y from the end of its sub-problem. Both arrays are shared by every sub-problem
    // and reset to −1 after each search, over the diagonals it touched.
    private readonly int[] _forward;
    private readonly int[] _backward;
    private readonly int _center;
    private readonly List<DiffHunk> _hunks = [];

    private MyersDiff(int[] a, int[] b, int maxEditDistance)
    {
        _a = a;
        _b = b;
        _maxEditDistance = maxEditDistance;
        var steps = Math.Min((a.Length + (long)b.Length + 1) / 2, ((long)maxEditDistance + 1) / 2 + 1);
        _center = checked((int)steps + 2);
        _forward = new int[(2 * _center) + 1];
        _backward = new int[(2 * _center) + 1];
        Array.Fill(_forward, -1);
        Array.Fill(_backward, -1);
    }

    private enum Outcome
    {
        /// <summary>A split point on a shortest path was found.</summary>
        Split,

        /// <summary>The sequences have nothing in common: delete all, insert all.</summary>
        Disjoint,

        /// <summary>The edit distance is larger than the cap.</summary>
        TooFar,
    }

    /// <summary>
    /// The changes of a shortest edit script from <paramref name="a"/> to <paramref name="b"/>, in order and
    /// separated by unchanged runs; when that script needs more than <paramref name="maxEditDistance"/>
    /// edits, one change covering everything between the common prefix and suffix.
    /// </summary>
    public static List<DiffHunk> Compare(int[] a, int[] b, int maxEditDistance)
    {
        var diff = new MyersDiff(a, b, maxEditDistance);
        diff.Compare(0, a.Length, 0, b.Length, top: true);
        return diff._hunks;
    }

    private void Compare(int aLo, int aHi, int bLo, int bHi, bool top)
    {
        var prefix = _a.AsSpan(aLo, aHi - aLo).CommonPrefixLength(_b.AsSpan(bLo, bHi - bLo));
        aLo += prefix;
        bLo += prefix;
        var suffix = CommonSuffixLength(_a.AsSpan(aLo, aHi - aLo), _b.AsSpan(bLo, bHi - bLo));
        aHi -= suffix;
        bHi -= suffix;

        var n = aHi - aLo;
        var m = bHi - bLo;
        if (n == 0 || m == 0 || (top && Math.Abs(n - m) > _maxEditDistance))
        {
            Add(aLo, n, bLo, m);
            return;
        }

        switch (FindSplit(_a.AsSpan(aLo, n), _b.AsSpan(bLo, m), out var x, out var y))
        {
            case Outcome.Split:
                if ((x <= 0 && y <= 0) || (x >= n && y >= m) || x > n || y > m)
                {
                    throw new InvalidOperationException($"diff: split ({x}, {y}) does not divide the {n}×{m} sub-problem");
                }

                Compare(aLo, aLo + x, bLo, bLo + y, top: false);
                Compare(aLo + x, aHi, bLo + y, bHi, top: false);
                return;
            case Outcome.Disjoint:
                Add(aLo, n, bLo, m);
                return;
            default:
                // Every sub-problem needs fewer edits than its parent, so only the whole problem can exceed the cap.
                if (!top)
                {
                    throw new InvalidOperationException("diff: a sub-problem exceeded the edit distance of the whole");
                }

                Add(aLo, n, bLo, m);
                return;
        }
    }

    /// <summary>
    /// The middle snake of the sub-problem, as the point where the forward path ends on it. Forward and
    /// backward searches alternate; after round d with no overlap the edit distance is at least 2d+1.
    /// Diagonals whose furthest point ran off the grid are dropped from the range (their cells are all
    /// explored), as in N. Fraser's diff-match-patch bisection. The loops are unchecked: every index is
    /// bounded by the sub-problem's size or the arrays' width, and a bad one still fails the bounds check.
    /// </summary>
    private Outcome FindSplit(ReadOnlySpan<int> a, ReadOnlySpan<int> b, out int splitX, out int splitY)
    {
        splitX = splitY = 0;
        var n = a.Length;
        var m = b.Length;
        var delta = n - m;
        var deltaIsOdd = (delta & 1) != 0;
        var maxD = (int)(((long)n + m + 1) / 2);
        var f = _forward.AsSpan();
        var r = _backward.AsSpan();
        var c = _center;
        f[c + 1] = 0;
        r[c + 1] = 0;
        int fLow = 0, fHigh = 0, rLow = 0, rHigh = 0;
        var d = 0;
        try
        {
            unchecked
            {
                for (; d < maxD; d++)
                {
                    if ((2L * d) - 1 > _maxEditDistance)
                    {
                        return Outcome.TooFar;
                    }

                    for (var k = -d + fLow; k <= d - fHigh; k += 2)
                    {
                        var i = c + k;
                        var x = k == -d || (k != d && f[i - 1] < f[i + 1]) ? f[i + 1] : f[i - 1] + 1;
                        var y = x - k;
                        if (x < n && y < m && a[x] == b[y])
                        {
                            x += 1 + a[(x + 1)..].CommonPrefixLength(b[(y + 1)..]);
                            y = x - k;
                        }

                        f[i] = x;
                        if (x > n)
                        {
                            fHigh += 2;
                        }
                        else if (y > m)
                        {
                            fLow += 2;
                        }
                        else if (deltaIsOdd && Reached(r, c + delta - k, out var back) && x >= n - back)
                        {
                            // A (2d−1)-path: the forward d-path meets the backward (d−1)-path on this diagonal.
                            (splitX, splitY) = (x, y);
                            return Outcome.Split;
                        }
                    }

                    if (2L * d > _maxEditDistance)
                    {
                        return Outcome.TooFar;
                    }

                    for (var k = -d + rLow; k <= d - rHigh; k += 2)
                    {
                        var i = c + k;
                        var x = k == -d || (k != d && r[i - 1] < r[i + 1]) ? r[i + 1] : r[i - 1] + 1;
                        var y = x - k;
                        if (x < n && y < m && a[n - 1 - x] == b[m - 1 - y])
                        {
                            x += 1 + CommonSuffixLength(a[..(n - 1 - x)], b[..(m - 1 - y)]);
                            y = x - k;
                        }

                        r[i] = x;
                        if (x > n)
                        {
                            rHigh += 2;
                        }
                        else if (y > m)
                        {
                            rLow += 2;
                        }
                        else if (!deltaIsOdd && Reached(f, c + delta - k, out var front) && front >= n - x)
                        {
                            // A 2d-path: the backward d-path meets the forward d-path on this diagonal.
                            (splitX, splitY) = (front, front - (delta - k));
                            return Outcome.Split;
                        }
                    }
                }
            }

            return n + (long)m > _maxEditDistance ? Outcome.TooFar : Outcome.Disjoint;
        }
        finally
        {
            var from = Math.Max(0, c - d - 2);
            var count = Math.Min(f.Length, c + d + 3) - from;
            f.Slice(from, count).Fill(-1);
            r.Slice(from, count).Fill(-1);
        }
    }

    private static bool Reached(Span<int> v, int index, out int x)
    {
        x = index >= 0 && index < v.Length ? v[index] : -1;
        return x >= 0;
    }

    /// <summary>The common suffix length, compared a block at a time (vectorised) then one by one.</summary>
    private static int CommonSuffixLength(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        const int Block = 16;
        var max = Math.Min(a.Length, b.Length);
        var length = 0;
        while (length + Block <= max && a.Slice(a.Length - length - Block, Block).SequenceEqual(b.Slice(b.Length - length - Block, Block)))
        {
            length += Block;
        }

        while (length < max && a[a.Length - 1 - length] == b[b.Length - 1 - length])
        {
            length++;
        }

        return length;
    }

    private void Add(int a, int deleted, int b, int inserted)
    {
        if (deleted == 0 && inserted == 0)
        {
            return;
        }

        if (_hunks.Count > 0 && _hunks[^1] is var last && last.A + last.Deleted == a && last.B + last.Inserted == b)
        {
            _hunks[^1] = last with { Deleted = last.Deleted + deleted, Inserted = last.Inserted + inserted };
            return;
        }

        _hunks.Add(new DiffHunk(a, deleted, b, inserted));
    }
}
