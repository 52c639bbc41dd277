using System.Text;
using Plumbline.Core;

namespace Plumbline.Models.Sampling;

/// <summary>
/// Appends finished lines in work order: a line waits until every earlier one is written, so a clean
/// run gives a deterministic file; <see cref="FlushAll"/> (on failure or cancellation) writes the
/// waiting ones too, so nothing finished is lost. Each line is one write of its bytes and newline.
/// </summary>
internal sealed class OrderedLineWriter : IAsyncDisposable
{
    private readonly FileStream _stream;
    private readonly SortedDictionary<int, byte[]> _waiting = [];
    private readonly Lock _gate = new();
    private int _next;

    public OrderedLineWriter(string path)
    {
        try
        {
            _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        }
        catch (IOException e)
        {
            throw new PlumblineException(FailureKind.Runtime, $"{path}: cannot append (is another run writing it?): {e.Message}", inner: e);
        }
    }

    public void Complete(int index, string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        lock (_gate)
        {
            _waiting[index] = bytes;
            while (_waiting.Remove(_next, out var ready))
            {
                Write(ready);
                _next++;
            }
        }
    }

    public void FlushAll()
    {
        lock (_gate)
        {
            foreach (var bytes in _waiting.Values)
            {
                Write(bytes);
            }

            _waiting.Clear();
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    private void Write(byte[] bytes)
    {
        _stream.Write(bytes);
        _stream.Flush();
    }
}
