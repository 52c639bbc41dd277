using Plumbline.Core.Capture;
using Plumbline.Core.Text;

namespace Plumbline.Storage.Samples;

/// <summary>
/// A short research note typed key by key, with typos fixed by backspace and a later revision that
/// answers a reviewer's comment. Deterministic: the same transactions every time.
/// </summary>
internal static class NoteScript
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);

    public static (List<EditTransaction> Draft, List<EditTransaction> Revision) Sessions()
    {
        var typist = new Typist(Start);
        typist.Type("# Notes on reward hacking\n\n");
        typist.Type("Agents trained with a learned reward often find reward hacking strategeis");
        typist.Backspace(3);
        typist.Type("ies that score well without doing the task.\n");
        typist.Pause(TimeSpan.FromSeconds(40));
        typist.Type("Next: measure how often this happens across seeds.\n");
        var draft = typist.TakeTransactions();

        typist.Pause(TimeSpan.FromMinutes(20));
        typist.MoveTo(2);
        typist.Type("Working ");
        typist.MoveTo(typist.Text.IndexOf("reward hacking strat", StringComparison.Ordinal) + "reward hacking".Length);
        typist.Type(" (exploiting flaws in the reward signal; see Amodei et al., 2016)");
        typist.MoveTo(typist.Text.IndexOf("Next:", StringComparison.Ordinal));
        typist.Type("Open question: does it persist after the reward model is retrained?\n");
        return (draft, typist.TakeTransactions());
    }

    public static string Replay(string start, IEnumerable<EditTransaction> transactions)
    {
        var text = new TextBuffer(start);
        foreach (var patch in transactions.SelectMany(t => t.Patches))
        {
            text.Apply(patch);
        }

        return text.ToString();
    }

    private sealed class Typist(DateTimeOffset start)
    {
        private readonly List<EditTransaction> _transactions = [];
        private DateTimeOffset _now = start;
        private int _cursor;

        public string Text { get; private set; } = "";

        public void Type(string text)
        {
            foreach (var c in text)
            {
                _now += TimeSpan.FromMilliseconds(90 + (c * 7 % 60));
                _transactions.Add(new EditTransaction(_now.ToUnixTimeMilliseconds(), [new Patch(_cursor, 0, c.ToString())]));
                Text = Text.Insert(_cursor, c.ToString());
                _cursor++;
            }
        }

        public void Backspace(int count)
        {
            for (var i = 0; i < count; i++)
            {
                _now += TimeSpan.FromMilliseconds(140);
                _cursor--;
                _transactions.Add(new EditTransaction(_now.ToUnixTimeMilliseconds(), [new Patch(_cursor, 1, "")]));
                Text = Text.Remove(_cursor, 1);
            }
        }

        public void Pause(TimeSpan length) => _now += length;

        public void MoveTo(int position) => _cursor = position;

        public List<EditTransaction> TakeTransactions()
        {
            var taken = _transactions.ToList();
            _transactions.Clear();
            return taken;
        }
    }
}
