using System.Numerics;
using System.Runtime.InteropServices;

namespace Plumbline.Core.Analysis.Clustering;

/// <summary>SIMD dot products and distances over float spans.</summary>
internal static class Vectors
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var n = a.Length;
        var i = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b[..n]);
            var acc = Vector<float>.Zero;
            for (var v = 0; v < va.Length; v++)
            {
                acc += va[v] * vb[v];
            }

            sum = Vector.Sum(acc);
            i = va.Length * Vector<float>.Count;
        }

        for (; i < n; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>
    /// The dot products of <paramref name="a"/> with four consecutive rows of <paramref name="rows"/>
    /// (each of a's length), each bit for bit what <see cref="Dot"/> gives; four independent
    /// accumulators share each load of <paramref name="a"/>, so the loop is not bound by one add chain.
    /// </summary>
    public static void Dot4(ReadOnlySpan<float> a, ReadOnlySpan<float> rows, out float s0, out float s1, out float s2, out float s3)
    {
        var n = a.Length;
        if (!Vector.IsHardwareAccelerated || n < Vector<float>.Count)
        {
            s0 = Dot(a, rows[..n]);
            s1 = Dot(a, rows.Slice(n, n));
            s2 = Dot(a, rows.Slice(2 * n, n));
            s3 = Dot(a, rows.Slice(3 * n, n));
            return;
        }

        var va = MemoryMarshal.Cast<float, Vector<float>>(a);
        var v0 = MemoryMarshal.Cast<float, Vector<float>>(rows[..n]);
        var v1 = MemoryMarshal.Cast<float, Vector<float>>(rows.Slice(n, n));
        var v2 = MemoryMarshal.Cast<float, Vector<float>>(rows.Slice(2 * n, n));
        var v3 = MemoryMarshal.Cast<float, Vector<float>>(rows.Slice(3 * n, n));
        Vector<float> acc0 = Vector<float>.Zero, acc1 = Vector<float>.Zero, acc2 = Vector<float>.Zero, acc3 = Vector<float>.Zero;
        for (var v = 0; v < va.Length; v++)
        {
            var x = va[v];
            acc0 += x * v0[v];
            acc1 += x * v1[v];
            acc2 += x * v2[v];
            acc3 += x * v3[v];
        }

        s0 = Vector.Sum(acc0);
        s1 = Vector.Sum(acc1);
        s2 = Vector.Sum(acc2);
        s3 = Vector.Sum(acc3);
        for (var i = va.Length * Vector<float>.Count; i < n; i++)
        {
            s0 += a[i] * rows[i];
            s1 += a[i] * rows[n + i];
            s2 += a[i] * rows[(2 * n) + i];
            s3 += a[i] * rows[(3 * n) + i];
        }
    }

    public static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var n = a.Length;
        var i = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b[..n]);
            var acc = Vector<float>.Zero;
            for (var v = 0; v < va.Length; v++)
            {
                var diff = va[v] - vb[v];
                acc += diff * diff;
            }

            sum = Vector.Sum(acc);
            i = va.Length * Vector<float>.Count;
        }

        for (; i < n; i++)
        {
            var diff = a[i] - b[i];
            sum += diff * diff;
        }

        return sum;
    }

    public static double SquaredDistanceExact(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var diff = (double)a[i] - b[i];
            sum += diff * diff;
        }

        return sum;
    }

    public static void CheckFinite(ReadOnlySpan<float> values, string what)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ArgumentException($"{what} has a value that is not finite at dimension {i} ({values[i]})");
            }
        }
    }
}
