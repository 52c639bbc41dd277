using System.Diagnostics;
using Plumbline.Core.Capture.Traces;
using Plumbline.Core.Privacy;
using Plumbline.Core.Text;

namespace Plumbline.Core.Tests.Privacy;

/// <summary>
/// Precision on the four real keystroke traces (../shared/realdata/editing-traces): the final texts hold exactly
/// automerge-paper's two e-mail addresses, and no intermediate revision of any trace shows anything else.
/// </summary>
public class EditingTraceDetectionTests(ITestOutputHelper output)
{
    private static readonly string[] Addresses = ["mk428@cl.cam.ac.uk", "arb33@cl.cam.ac.uk"];

    [Theory]
    [InlineData("automerge-paper")]
    [InlineData("rustcode")]
    [InlineData("seph-blog1")]
    [InlineData("sveltecomponent")]
    public void FinalText_OnlyTheAutomergePaperAddresses(string name)
    {
        if (Load(name) is not { } trace)
        {
            return;
        }

        var found = new SecretDetector().Detect(trace.EndContent!);

        // Positions from ../shared/realdata/MANIFEST.md's end text, counted in code points.
        Finding[] expected = name == "automerge-paper"
            ? [new(FindingKind.Email, 1427, 1445, "email"), new(FindingKind.Email, 1453, 1471, "email")]
            : [];
        Assert.Equal(expected, found);
    }

    [Theory]
    [InlineData("automerge-paper")]
    [InlineData("rustcode")]
    [InlineData("seph-blog1")]
    [InlineData("sveltecomponent")]
    public void EveryRevision_WindowedDetector_FindsNothingButPartsOfTheAddresses(string name)
    {
        if (Load(name) is not { } trace)
        {
            return;
        }

        var detector = new SecretDetector();
        var text = new TextBuffer(trace.StartContent);
        var problems = new List<string>();
        var emails = new HashSet<string>(StringComparer.Ordinal);
        long ticks = 0;
        var revision = 0;
        foreach (var transaction in trace.Transactions)
        {
            revision++;
            int low = int.MaxValue, high = 0, inserted = 0;
            foreach (var patch in transaction.Patches)
            {
                text.Apply(patch);
                low = Math.Min(low, patch.Position);
                high = Math.Max(high, patch.Position + patch.InsertLength);
                inserted += patch.InsertLength;
            }

            low = Math.Min(low, text.Length);
            high = Math.Clamp(high + (transaction.Patches.Length > 1 ? inserted : 0), low, text.Length);
            var started = Stopwatch.GetTimestamp();
            var found = detector.Detect(text, low, high);
            ticks += Stopwatch.GetTimestamp() - started;
            foreach (var finding in found)
            {
                var covered = text.Substring(finding.Start, finding.Length);
                if (finding.Kind == FindingKind.Email && Addresses.Any(a => a.Contains(covered, StringComparison.Ordinal)))
                {
                    emails.Add(covered);
                }
                else if (problems.Count < 20)
                {
                    problems.Add($"revision {revision}: {finding.Kind.Name()} [{finding.Start}, {finding.End}) {finding.Rule}: '{covered}'");
                }
            }
        }

        var perCall = Stopwatch.GetElapsedTime(0, ticks).TotalMicroseconds / trace.Transactions.Count;
        output.WriteLine($"{name}: {revision} revisions, windowed detector {Stopwatch.GetElapsedTime(0, ticks).TotalMilliseconds:F0} ms in all, {perCall:F2} µs per revision");
        output.WriteLine($"e-mail findings seen: {string.Join(", ", emails.Order(StringComparer.Ordinal))}");
        Assert.Empty(problems);
        Assert.Equal(name == "automerge-paper" ? Addresses.Order(StringComparer.Ordinal) : [], emails.Where(e => Addresses.Contains(e)).Order(StringComparer.Ordinal));
    }

    private EditingTrace? Load(string name) =>
        RealData.Find($"editing-traces/{name}.json.gz", output.WriteLine) is { } path
            ? EditingTraceReader.Parse(File.ReadAllBytes(path), name, 0)
            : null;
}
