namespace Plumbline.Models.Lsa;

/// <summary>A sparse matrix in compressed rows (CSR): row r holds Columns/Values[RowStart[r]..RowStart[r+1]).</summary>
internal sealed class SparseRows(int rows, int columns, int[] rowStart, int[] columnIndex, double[] values)
{
    public int Rows { get; } = rows;

    public int Columns { get; } = columns;

    public int[] RowStart { get; } = rowStart;

    public int[] ColumnIndex { get; } = columnIndex;

    public double[] Values { get; } = values;

    /// <summary>The transpose, also in compressed rows (so products with it are row-parallel and deterministic).</summary>
    public SparseRows Transpose()
    {
        var counts = new int[Columns + 1];
        foreach (var c in ColumnIndex)
        {
            counts[c + 1]++;
        }

        for (var c = 0; c < Columns; c++)
        {
            counts[c + 1] += counts[c];
        }

        var next = (int[])counts.Clone();
        var index = new int[ColumnIndex.Length];
        var vals = new double[Values.Length];
        for (var r = 0; r < Rows; r++)
        {
            for (var p = RowStart[r]; p < RowStart[r + 1]; p++)
            {
                var c = ColumnIndex[p];
                var at = next[c]++;
                index[at] = r;
                vals[at] = Values[p];
            }
        }

        return new SparseRows(Columns, Rows, counts, index, vals);
    }

    /// <summary>This (Rows×Columns) times a dense row-major Columns×width matrix, into a new Rows×width row-major matrix.</summary>
    public double[] Multiply(double[] dense, int width)
    {
        var result = new double[(long)Rows * width];
        Parallel.For(0, (Rows + 255) / 256, block =>
        {
            var end = Math.Min(Rows, (block + 1) * 256);
            for (var r = block * 256; r < end; r++)
            {
                var target = result.AsSpan(r * width, width);
                for (var p = RowStart[r]; p < RowStart[r + 1]; p++)
                {
                    var source = dense.AsSpan(ColumnIndex[p] * width, width);
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(source, Values[p], target, target);
                }
            }
        });
        return result;
    }
}
