using Plumbline.Core.Text;

namespace Plumbline.Core.Privacy;

/// <summary>
/// Every character a history ever held, by identity (the start text 0…n−1, then each inserted code point the next id,
/// as <see cref="IdBuffer"/> numbers them): its code point, the revision and patch step that inserted it, the step that
/// deleted it, and one order of all of them — live and deleted — that agrees with the text at every revision.
/// <para>
/// The order is the one a replicated text keeps with tombstones: a deleted character stays where it was, and an insert
/// goes right after the character before it in the live text, ahead of any deleted ones there. So a run of text deleted
/// together (a cut, an undo, backspaces one by one) stays one run in the order, and text typed into it while it lived
/// stays between its characters.
/// </para>
/// </summary>
internal sealed class CharacterHistory
{
    /// <summary>The step of a character of the start text (before the first patch).</summary>
    public const int StartStep = -1;

    /// <summary>The deletion step of a character still in the last revision.</summary>
    public const int Alive = int.MaxValue;

    private CharacterHistory(int[] codePoints, int[] revisions, int[] inserted, int[] deleted, int[] order, int[] final)
    {
        CodePoints = codePoints;
        Revisions = revisions;
        Inserted = inserted;
        Deleted = deleted;
        Order = order;
        Final = final;
        OrderOf = new int[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            OrderOf[order[i]] = i;
        }
    }

    /// <summary>The code point of each character, by id.</summary>
    public int[] CodePoints { get; }

    /// <summary>The revision that inserted each character (0: the start text; revisions count from 1).</summary>
    public int[] Revisions { get; }

    /// <summary>The patch step that inserted each character, counting patches over the whole history from 0 (<see cref="StartStep"/> for the start text).</summary>
    public int[] Inserted { get; }

    /// <summary>The patch step that deleted each character, or <see cref="Alive"/>.</summary>
    public int[] Deleted { get; }

    /// <summary>Every id, in the order described above.</summary>
    public int[] Order { get; }

    /// <summary>The index of each id in <see cref="Order"/>.</summary>
    public int[] OrderOf { get; }

    /// <summary>The ids of the last revision's text, in order.</summary>
    public int[] Final { get; }

    public static CharacterHistory Replay(string start, IReadOnlyList<Patch[]> revisions)
    {
        var codePoints = new List<int>(Decode(start));

        var startLength = codePoints.Count;
        var revisionOf = Enumerable.Repeat(0, startLength).ToList();
        var inserted = Enumerable.Repeat(StartStep, startLength).ToList();
        var deleted = Enumerable.Repeat(Alive, startLength).ToList();

        // A singly linked list over nodes: node 0 is the head, node id + 1 is character id; next[node] is the following node, 0 at the end.
        var next = new List<int>(startLength + 1) { startLength > 0 ? 1 : 0 };
        for (var i = 0; i < startLength; i++)
        {
            next.Add(i + 1 < startLength ? i + 2 : 0);
        }

        var ids = new IdBuffer(startLength);
        var step = 0;
        for (var r = 0; r < revisions.Count; r++)
        {
            foreach (var patch in revisions[r])
            {
                for (var i = patch.Position; i < patch.Position + patch.Delete; i++)
                {
                    deleted[ids[i]] = step;
                }

                var node = patch.Position > 0 ? ids[patch.Position - 1] + 1 : 0;
                ids.Apply(patch.Position, patch.Delete, patch.InsertLength);
                var tail = next[node];
                foreach (var c in Decode(patch.Insert))
                {
                    var id = codePoints.Count;
                    codePoints.Add(c);
                    revisionOf.Add(r + 1);
                    inserted.Add(step);
                    deleted.Add(Alive);
                    next.Add(0);
                    next[node] = id + 1;
                    node = id + 1;
                }

                next[node] = tail;
                step++;
            }
        }

        var order = new int[codePoints.Count];
        var at = 0;
        for (var node = next[0]; node != 0; node = next[node])
        {
            order[at++] = node - 1;
        }

        if (at != order.Length)
        {
            throw new InvalidOperationException($"character history: {at} of {order.Length} characters are in the order");
        }

        var final = new int[ids.Length];
        for (var i = 0; i < final.Length; i++)
        {
            final[i] = ids[i];
        }

        return new CharacterHistory([.. codePoints], [.. revisionOf], [.. inserted], [.. deleted], order, final);
    }

    private static int[] Decode(string text)
    {
        var codePoints = new int[text.Length];
        return codePoints[..Plumbline.Core.Text.CodePoints.Decode(text, codePoints)];
    }

    /// <summary>The text of some characters, in the order given.</summary>
    public string Text(IEnumerable<int> ids) => Plumbline.Core.Text.CodePoints.Encode(ids.Select(id => CodePoints[id]).ToArray());
}
