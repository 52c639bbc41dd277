using Plumbline.Core.Capture;
using Plumbline.Core.Text;
using Plumbline.Storage.Ingest;

namespace Plumbline.Bench.Datasets;

/// <summary>
/// A synthetic keystroke history: words typed one key at a time 80–200 ms apart, spaces and line breaks,
/// a backspace now and then, a pause of a few seconds every so often, and a jump to another line. Seeded,
/// so every run has the same store. Documents of 100,000 events each, loaded in batches of 10,000.
/// </summary>
internal static class Synthetic
{
    private static readonly string[] Words =
    [
        "reward", "model", "the", "policy", "gradient", "loss", "plateaued", "after", "steps", "we", "tried", "a", "smaller",
        "learning", "rate", "and", "KL", "penalty", "which", "helped", "evaluation", "shows", "drift", "in", "round", "two",
    ];

    public static async Task LoadAsync(EditIngest ingest, int events)
    {
        var random = new Random(20261122);
        var documents = (events + 99_999) / 100_000;
        for (var d = 0; d < documents; d++)
        {
            var target = Math.Min(100_000, events - (d * 100_000));
            var text = new TextBuffer();
            var cursor = 0;
            var time = 1_700_000_000_000L + (d * 86_400_000L);
            var batch = new List<EditTransaction>(10_000);
            var start = "";
            var produced = 0;
            var wordsOnLine = 0;
            while (produced < target)
            {
                if (batch.Count >= 10_000)
                {
                    await FlushAsync();
                }

                var roll = random.NextDouble();
                Patch patch;
                if (roll < 0.05 && cursor > 0)
                {
                    patch = new Patch(cursor - 1, 1, "");
                    cursor--;
                }
                else if (roll < 0.06 && text.Length > 0)
                {
                    cursor = random.Next(text.Length + 1);
                    continue;
                }
                else
                {
                    var word = Words[random.Next(Words.Length)];
                    var next = wordsOnLine >= 9 ? "\n" : " ";
                    var keys = word + next;
                    wordsOnLine = next == "\n" ? 0 : wordsOnLine + 1;
                    foreach (var key in keys)
                    {
                        if (produced >= target)
                        {
                            break;
                        }

                        time += random.Next(80, 200);
                        Add(new Patch(cursor, 0, key.ToString()));
                        cursor++;
                    }

                    if (random.NextDouble() < 0.02)
                    {
                        time += random.Next(3000, 9000);
                    }

                    continue;
                }

                time += random.Next(80, 200);
                Add(patch);

                void Add(Patch p)
                {
                    text.Apply(p);
                    batch.Add(new EditTransaction(time, [p]));
                    produced++;
                }
            }

            await FlushAsync();

            async Task FlushAsync()
            {
                if (batch.Count == 0)
                {
                    return;
                }

                await ingest.IngestAsync(
                    new EditBatch { Document = $"synthetic-{d}", StartContent = start, Transactions = batch.ToList(), Actor = "alice", BatchId = $"synthetic-{d}-{produced}" },
                    null,
                    default);
                start = text.ToString();
                batch.Clear();
            }
        }
    }
}
