using Plumbline.Core.Text;

namespace Plumbline.Core.Datasets;

/// <summary>Whether edit times are used to split edit units.</summary>
public enum TimestampMode
{
    /// <summary>Use times when the document has usable ones (see <see cref="EditUnitOptions.TimestampsUsable"/>); otherwise fall back to position and boundary rules.</summary>
    Auto,

    /// <summary>Always use times.</summary>
    Use,

    /// <summary>Never use times (position and boundary rules only).</summary>
    Ignore,
}

/// <summary>
/// Thresholds of the edit-unit rule. Consecutive revisions (keystrokes) of one document join one unit
/// until one of these holds before the next revision:
/// <list type="number">
/// <item>it is by another contributor, or it is a gap (withheld edits end a unit and are never a target);</item>
/// <item>its first patch is more than <see cref="JumpChars"/> code points from the cursor (where the unit's last
/// patch left it: after the inserted text, or at the deletion) — a cursor jump;</item>
/// <item>timestamps are usable and it comes more than <see cref="PauseMs"/> after the previous revision — a pause;</item>
/// <item>the unit already ended a line: its last inserted code point was a line break (when <see cref="BreakAtLineEnd"/>);</item>
/// <item>the unit holds at least <see cref="WordBoundaryChars"/> inserted or deleted code points and its last
/// inserted code point was whitespace or punctuation — a word boundary;</item>
/// <item>the unit holds <see cref="MaxUnitPatches"/> patches (a hard cap, so one long paste-free burst still splits).</item>
/// </list>
/// </summary>
public sealed record EditUnitOptions
{
    /// <summary>A pause longer than this many milliseconds ends a unit (default 2000).</summary>
    public long PauseMs { get; init; } = 2000;

    /// <summary>A patch further than this many code points from the cursor starts a new unit (default 0: any jump).</summary>
    public int JumpChars { get; init; }

    /// <summary>After this many changed code points, a word boundary ends the unit (default 24).</summary>
    public int WordBoundaryChars { get; init; } = 24;

    /// <summary>A typed line break ends the unit (default true).</summary>
    public bool BreakAtLineEnd { get; init; } = true;

    /// <summary>A unit holds at most this many patches (default 400).</summary>
    public int MaxUnitPatches { get; init; } = 400;

    public TimestampMode Timestamps { get; init; } = TimestampMode.Auto;

    public static EditUnitOptions Default { get; } = new();

    /// <summary>A document's revisions must span at least this many milliseconds each, on average, for its times to be usable (default 10).</summary>
    public const int MinMsPerRevision = 10;

    /// <summary>
    /// Whether a document's times can tell pauses: its revisions span at least <see cref="MinMsPerRevision"/> ms each
    /// on average. Nobody types 100 keys a second for long; automerge-paper's 259,778 edits share 294 ms.
    /// </summary>
    public static bool TimestampsUsable(long firstTime, long lastTime, int revisions) =>
        revisions > 1 && lastTime - firstTime >= (long)MinMsPerRevision * (revisions - 1);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (PauseMs < 0)
        {
            errors.Add($"--pause-ms must be 0 or more (was {PauseMs})");
        }

        if (JumpChars < 0)
        {
            errors.Add($"--jump-chars must be 0 or more (was {JumpChars})");
        }

        if (WordBoundaryChars < 1)
        {
            errors.Add($"--word-chars must be 1 or more (was {WordBoundaryChars})");
        }

        if (MaxUnitPatches < 1)
        {
            errors.Add($"--max-unit-patches must be 1 or more (was {MaxUnitPatches})");
        }

        return errors;
    }
}

/// <summary>One stored revision as the grouper sees it.</summary>
public sealed record UnitRevision(int Revision, long Time, long? ContributorId, bool IsGap, Patch[] Patches, long FirstSeq);

/// <summary>Consecutive revisions that form one edit unit (or one gap run, which is never a target).</summary>
public sealed class EditUnit
{
    internal EditUnit(bool isGap) => IsGap = isGap;

    public bool IsGap { get; }

    public List<UnitRevision> Revisions { get; } = [];

    public int FirstRevision => Revisions[0].Revision;

    public int LastRevision => Revisions[^1].Revision;

    public long FirstSeq => Revisions[0].FirstSeq;

    public long LastSeq => Revisions[^1].FirstSeq + Math.Max(Revisions[^1].Patches.Length, 1) - 1;

    public long? ContributorId => Revisions[0].ContributorId;

    public long Time => Revisions[0].Time;

    public IEnumerable<Patch> Patches => Revisions.SelectMany(r => r.Patches);

    public int PatchCount => Revisions.Sum(r => r.Patches.Length);
}

/// <summary>Groups a document's revisions, in order, into edit units by the rule of <see cref="EditUnitOptions"/>.</summary>
public sealed class EditUnitGrouper
{
    private readonly EditUnitOptions _options;
    private readonly bool _useTime;
    private EditUnit? _open;
    private int _cursor;
    private int _changed;
    private int _patches;
    private long _lastTime;
    private int _lastInserted = -1;

    public EditUnitGrouper(EditUnitOptions options, bool timestampsUsable)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _useTime = options.Timestamps switch
        {
            TimestampMode.Use => true,
            TimestampMode.Ignore => false,
            _ => timestampsUsable,
        };
    }

    /// <summary>Whether times split units for this document.</summary>
    public bool UsesTime => _useTime;

    /// <summary>Takes the next revision; returns the units it completed (zero, one, or a unit and a gap), in order.</summary>
    public IReadOnlyList<EditUnit> Push(UnitRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var done = new List<EditUnit>(2);
        if (revision.IsGap)
        {
            Close(done);
            var gap = new EditUnit(isGap: true);
            gap.Revisions.Add(revision);
            done.Add(gap);
            return done;
        }

        if (revision.Patches.Length == 0)
        {
            return done;
        }

        if (_open is not null && Breaks(revision))
        {
            Close(done);
        }

        _open ??= new EditUnit(isGap: false);
        _open.Revisions.Add(revision);
        foreach (var patch in revision.Patches)
        {
            _cursor = patch.Position + patch.InsertLength;
            _changed += patch.Delete + patch.InsertLength;
            _patches++;
            if (patch.InsertLength > 0)
            {
                _lastInserted = LastCodePoint(patch.Insert);
            }
        }

        _lastTime = revision.Time;
        return done;
    }

    /// <summary>The unit still open at the end of the document, if any.</summary>
    public EditUnit? Flush()
    {
        var done = new List<EditUnit>(1);
        Close(done);
        return done.Count == 0 ? null : done[0];
    }

    private bool Breaks(UnitRevision next)
    {
        var first = next.Patches[0];
        if (next.ContributorId != _open!.ContributorId)
        {
            return true;
        }

        var distance = Math.Abs(first.Position + first.Delete - _cursor) <= _options.JumpChars || Math.Abs(first.Position - _cursor) <= _options.JumpChars
            ? 0
            : 1;
        if (distance > 0)
        {
            return true;
        }

        if (_useTime && next.Time - _lastTime > _options.PauseMs)
        {
            return true;
        }

        if (_options.BreakAtLineEnd && _lastInserted == '\n')
        {
            return true;
        }

        if (_changed >= _options.WordBoundaryChars && _lastInserted >= 0 && IsBoundary(_lastInserted))
        {
            return true;
        }

        return _patches >= _options.MaxUnitPatches;
    }

    private void Close(List<EditUnit> done)
    {
        if (_open is not null)
        {
            done.Add(_open);
        }

        _open = null;
        _changed = 0;
        _patches = 0;
        _lastInserted = -1;
    }

    private static bool IsBoundary(int codePoint) =>
        codePoint is ' ' or '\t' or '\n' or '\r' or '.' or ',' or ';' or ':' or '!' or '?' or ')' or ']' or '}';

    private static int LastCodePoint(string text) =>
        text.Length >= 2 && char.IsSurrogatePair(text[^2], text[^1]) ? char.ConvertToUtf32(text[^2], text[^1]) : text[^1];
}
