using System.Text;
using Plumbline.Core.Text;

namespace Plumbline.Core.Privacy;

/// <summary>A secret found somewhere in a history: what it was and how many characters of it were ever typed.</summary>
public sealed record RedactedSecret(FindingKind Kind, string Rule, int DetectedAtRevision, int Characters);

/// <summary>
/// A history with its secrets replaced: <see cref="Revisions"/> has exactly one patch for every original
/// patch (an empty one where the visible text does not change), so event ids stay as they were.
/// <see cref="TouchesStart"/>: a secret includes characters of the start text, so the history before
/// it must be redacted too.
/// </summary>
public sealed record RedactedHistory(string Start, IReadOnlyList<Patch[]> Revisions, IReadOnlyList<RedactedSecret> Secrets, bool TouchesStart)
{
    /// <summary>The positions asked for with <c>positions</c>, in the redacted text of their revision, in the same order.</summary>
    public IReadOnlyList<int> MappedPositions { get; init; } = [];
}

/// <summary>
/// Redacts secrets through a whole edit history. Detection runs on the reconstructed text after every
/// revision (in a window around the edit), so a key typed one character at a time, corrected, or
/// pasted is caught when it is complete; every character that was ever part of it is then known by
/// its identity. The history is replayed again and each maximal run of a secret's characters is shown
/// as its placeholder (<c>[SECRET]</c>, <c>[EMAIL]</c>, …) at every revision: while a key is being typed
/// the placeholder appears with its first character and never a fragment of it. Positions after a
/// placeholder are remapped, so the redacted history replays exactly to the redacted texts.
/// </summary>
public static partial class HistoryRedactor
{
    /// <param name="positions">Positions (revision, code point in that revision's text) to carry into the redacted texts, e.g. comment ranges.</param>
    public static RedactedHistory Redact(
        string start,
        IReadOnlyList<Patch[]> revisions,
        SecretDetector detector,
        IReadOnlyList<(int Revision, int Position)>? positions = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(revisions);
        ArgumentNullException.ThrowIfNull(detector);
        var found = Identify(start, revisions, detector);
        if (found.SecretOf.Keys.All(found.Seeds.Contains))
        {
            return new RedactedHistory(start, revisions, [], false) { MappedPositions = positions?.Select(p => p.Position).ToList() ?? [] };
        }

        var startLength = CodePoints.Count(start);
        var touchesStart = found.SecretOf.Keys.Any(id => id < startLength && !found.Seeds.Contains(id));
        return Render(start, revisions, found, touchesStart, positions ?? []);
    }

    private sealed class Found
    {
        public Dictionary<int, int> SecretOf { get; } = [];

        public List<(FindingKind Kind, string Rule, int Revision)> Secrets { get; } = [];

        private readonly List<int> _parent = [];

        /// <summary>Ids of placeholder text already in the start (redacted before): secrets that need no rewrite.</summary>
        public HashSet<int> Seeds { get; } = [];

        /// <summary>Adds one character to the secret that <paramref name="neighbour"/> belongs to.</summary>
        public bool Grow(int id, int neighbour)
        {
            if (SecretOf.ContainsKey(id) || !SecretOf.TryGetValue(neighbour, out var secret))
            {
                return false;
            }

            SecretOf[id] = secret;
            return true;
        }

        public void Add(Finding finding, int revision, IdBuffer ids)
        {
            var index = Secrets.Count;
            Secrets.Add((finding.Kind, finding.Rule, revision));
            _parent.Add(index);
            for (var i = finding.Start; i < finding.End; i++)
            {
                if (SecretOf.TryGetValue(ids[i], out var other))
                {
                    Union(other, index);
                }
                else
                {
                    SecretOf[ids[i]] = index;
                }
            }
        }

        /// <summary>Collapses merged secrets so every id maps to its root, keeping the most severe kind.</summary>
        public void Settle()
        {
            foreach (var id in SecretOf.Keys.ToList())
            {
                SecretOf[id] = Root(SecretOf[id]);
            }
        }

        private int Root(int i)
        {
            while (_parent[i] != i)
            {
                _parent[i] = _parent[_parent[i]];
                i = _parent[i];
            }

            return i;
        }

        private void Union(int a, int b)
        {
            var (ra, rb) = (Root(a), Root(b));
            if (ra == rb)
            {
                return;
            }

            var keep = Secrets[ra].Kind.Severity() >= Secrets[rb].Kind.Severity() ? ra : rb;
            var drop = keep == ra ? rb : ra;
            _parent[drop] = keep;
            Secrets[keep] = Secrets[keep] with { Revision = Math.Min(Secrets[keep].Revision, Secrets[drop].Revision) };
        }
    }


    private static Found Identify(string start, IReadOnlyList<Patch[]> revisions, SecretDetector detector)
    {
        var found = new Found();
        var text = new TextBuffer(start);
        var ids = new IdBuffer(text.Length);
        foreach (var finding in detector.Detect(start))
        {
            found.Add(finding, 0, ids);
        }

        SeedPlaceholders(start, found, ids);

        for (var r = 0; r < revisions.Count; r++)
        {
            var lo = int.MaxValue;
            var hi = 0;
            foreach (var patch in revisions[r])
            {
                text.Apply(patch);
                ids.Apply(patch.Position, patch.Delete, patch.InsertLength);
                Grow(text, ids, found, patch.Position, patch.InsertLength);
                lo = Math.Min(lo, patch.Position);
                hi = Math.Max(hi, patch.Position + patch.InsertLength);
            }

            if (lo == int.MaxValue)
            {
                continue;
            }

            lo = Math.Min(lo, text.Length);
            foreach (var finding in detector.Detect(text, lo, Math.Clamp(hi, lo, text.Length)))
            {
                found.Add(finding, r + 1, ids);
            }
        }

        found.Settle();
        return found;
    }

    /// <summary>
    /// Placeholders already in the text (from earlier redaction) are secrets too, so that the rest of a
    /// key typed after its first part was redacted joins it instead of showing.
    /// </summary>
    private static void SeedPlaceholders(string start, Found found, IdBuffer ids)
    {
        foreach (var kind in Enum.GetValues<FindingKind>())
        {
            var placeholder = kind.Placeholder();
            for (var at = start.IndexOf(placeholder, StringComparison.Ordinal); at >= 0; at = start.IndexOf(placeholder, at + placeholder.Length, StringComparison.Ordinal))
            {
                var from = CodePoints.FromUtf16Index(start, at);
                found.Add(new Finding(kind, from, from + placeholder.Length, "placeholder"), 0, ids);
                for (var i = from; i < from + placeholder.Length; i++)
                {
                    found.Seeds.Add(ids[i]);
                }
            }
        }
    }

    /// <summary>
    /// Characters of a token typed right against a secret belong to it: a key is often recognised
    /// before its last characters are typed, and those must not show either.
    /// </summary>
    private static void Grow(TextBuffer text, IdBuffer ids, Found found, int position, int length)
    {
        if (length == 0 || found.SecretOf.Count == 0)
        {
            return;
        }

        for (var i = position; i < position + length && i > 0; i++)
        {
            if (!IsTokenCharacter(text.CodePointAt(i)) || !found.Grow(ids[i], ids[i - 1]))
            {
                break;
            }
        }

        for (var i = position + length - 1; i >= position && i + 1 < text.Length; i--)
        {
            if (!IsTokenCharacter(text.CodePointAt(i)) || !found.Grow(ids[i], ids[i + 1]))
            {
                break;
            }
        }
    }

    private static bool IsTokenCharacter(int c) =>
        c < 0x80 ? char.IsAsciiLetterOrDigit((char)c) || c is '_' or '-' or '+' or '/' or '=' or '.' or '~' or '@' or '%' or ':' : char.IsLetterOrDigit(char.ConvertFromUtf32(c), 0);

    private static RedactedHistory Render(string start, IReadOnlyList<Patch[]> revisions, Found found, bool touchesStart, IReadOnlyList<(int Revision, int Position)> positions)
    {
        var (redactedStart, output, mapped) = Render(start, revisions, found.SecretOf, secret => found.Secrets[secret].Kind.Placeholder(), positions);
        var characters = new int[found.Secrets.Count];
        foreach (var id in found.SecretOf.Values)
        {
            characters[id]++;
        }

        var secrets = found.Secrets.Select((s, i) => (s, i))
            .Where(x => characters[x.i] > 0)
            .Select(x => new RedactedSecret(x.s.Kind, x.s.Rule, x.s.Revision, characters[x.i]))
            .ToList();
        return new RedactedHistory(redactedStart, output, secrets, touchesStart) { MappedPositions = mapped };
    }

    /// <summary>
    /// Replays the history with each maximal run of one group's characters (<paramref name="secretOf"/>: character id → group)
    /// shown as that group's placeholder, and carries <paramref name="positions"/> into the rendered texts.
    /// </summary>
    private static (string Start, Patch[][] Revisions, int[] Mapped) Render(
        string start,
        IReadOnlyList<Patch[]> revisions,
        Dictionary<int, int> secretOf,
        Func<int, string> placeholder,
        IReadOnlyList<(int Revision, int Position)> positions)
    {
        var mapped = new int[positions.Count];
        var byRevision = positions.Select((p, i) => (p.Revision, p.Position, Index: i)).ToLookup(p => p.Revision);
        var text = new TextBuffer(start);
        var ids = new IdBuffer(text.Length);
        var output = new Patch[revisions.Count][];
        var redactedStart = Render(text, ids, secretOf, placeholder, 0, text.Length);
        var runs = new RunList(secret => placeholder(secret).Length);
        runs.Rescan(ids, secretOf, 0, 0, ids.Length);
        foreach (var (_, position, index) in byRevision[0])
        {
            mapped[index] = runs.RedactedPosition(position);
        }

        for (var r = 0; r < revisions.Count; r++)
        {
            var patches = revisions[r];
            var redacted = new Patch[patches.Length];
            for (var p = 0; p < patches.Length; p++)
            {
                var patch = patches[p];
                var lo = patch.Position;
                var hi = patch.Position + patch.Delete;
                while (lo > 0 && secretOf.ContainsKey(ids[lo - 1]))
                {
                    lo--;
                }

                while (hi < ids.Length && secretOf.ContainsKey(ids[hi]))
                {
                    hi++;
                }

                var offset = runs.RedactedPosition(lo);

                // Plain before: the window is exactly the deleted text and holds no redacted character, so it shows as it is.
                var plainBefore = lo == patch.Position && hi == patch.Position + patch.Delete && !AnyMarked(ids, secretOf, lo, hi);
                var before = plainBefore ? null : Render(text, ids, secretOf, placeholder, lo, hi);
                text.Apply(patch);
                ids.Apply(patch.Position, patch.Delete, patch.InsertLength);
                var hiAfter = hi - patch.Delete + patch.InsertLength;
                var plainAfter = !AnyMarked(ids, secretOf, lo, hiAfter);
                runs.Rescan(ids, secretOf, lo, hi, hiAfter);

                // A patch that touches no redacted character keeps its own shape, only moved past the placeholders before it;
                // one that deletes plain text and inserts redacted characters (a paste over a selection, an undo) still deletes
                // all of that text, and inserts the rendered insertion.
                redacted[p] = (plainBefore, plainAfter) switch
                {
                    (true, true) => offset == patch.Position ? patch : new Patch(offset, patch.Delete, patch.Insert),
                    (true, false) => new Patch(offset, patch.Delete, Render(text, ids, secretOf, placeholder, lo, hiAfter)),
                    _ => Difference(offset, before!, Render(text, ids, secretOf, placeholder, lo, hiAfter)),
                };
            }

            output[r] = redacted;
            foreach (var (_, position, index) in byRevision[r + 1])
            {
                mapped[index] = runs.RedactedPosition(position);
            }
        }

        return (redactedStart, output, mapped);
    }

    private static bool AnyMarked(IdBuffer ids, Dictionary<int, int> secretOf, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (secretOf.ContainsKey(ids[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The visible text of [from, to): each maximal run of one secret's characters as its placeholder.</summary>
    private static string Render(TextBuffer text, IdBuffer ids, Dictionary<int, int> secretOf, Func<int, string> placeholder, int from, int to)
    {
        var builder = new StringBuilder(to - from);
        var previous = -1;
        for (var i = from; i < to; i++)
        {
            if (secretOf.TryGetValue(ids[i], out var secret))
            {
                if (secret != previous)
                {
                    builder.Append(placeholder(secret));
                }

                previous = secret;
                continue;
            }

            previous = -1;
            var c = text.CodePointAt(i);
            if (c > 0xFFFF)
            {
                builder.Append(char.ConvertFromUtf32(c));
            }
            else
            {
                builder.Append((char)c);
            }
        }

        return builder.ToString();
    }

    private static Patch Difference(int offset, string before, string after)
    {
        var prefix = before.AsSpan().CommonPrefixLength(after);
        if (prefix > 0 && prefix < before.Length && char.IsLowSurrogate(before[prefix]))
        {
            prefix--;
        }

        var max = Math.Min(before.Length, after.Length) - prefix;
        var suffix = 0;
        while (suffix < max && before[before.Length - 1 - suffix] == after[after.Length - 1 - suffix])
        {
            suffix++;
        }

        if (suffix > 0 && char.IsLowSurrogate(before[before.Length - suffix]) && before.Length - suffix - 1 >= prefix)
        {
            suffix--;
        }

        var deleted = before.Substring(prefix, before.Length - prefix - suffix);
        var inserted = after.Substring(prefix, after.Length - prefix - suffix);
        return new Patch(offset + CodePoints.Count(before.AsSpan(0, prefix)), CodePoints.Count(deleted), inserted);
    }
}
