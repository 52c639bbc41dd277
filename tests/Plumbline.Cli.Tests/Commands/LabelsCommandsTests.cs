using System.Security.Cryptography;
using System.Text.Json;

namespace Plumbline.Cli.Tests.Commands;

/// <summary>The <c>plumb labels</c> verbs through the real binary, on the shipped example and on published data.</summary>
public class LabelsCommandsTests
{
    /// <summary>Krippendorff (2011): 4 coders × 12 units, as task,worker,label rows (missing values are simply absent).</summary>
    private const string Krippendorff2011 = """
        task,worker,label
        u1,A,1
        u2,A,2
        u3,A,3
        u4,A,3
        u5,A,2
        u6,A,1
        u7,A,4
        u8,A,1
        u9,A,2
        u1,B,1
        u2,B,2
        u3,B,3
        u4,B,3
        u5,B,2
        u6,B,2
        u7,B,4
        u8,B,1
        u9,B,2
        u10,B,5
        u12,B,3
        u2,C,3
        u3,C,3
        u4,C,3
        u5,C,2
        u6,C,3
        u7,C,4
        u8,C,2
        u9,C,2
        u10,C,5
        u11,C,1
        u1,D,1
        u2,D,2
        u3,D,3
        u4,D,3
        u5,D,2
        u6,D,4
        u7,D,4
        u8,D,1
        u9,D,2
        u10,D,5
        u11,D,1

        """;

    private static string Sample(string name) => Path.Combine(RealData.RepositoryRoot, "samples", "labels", name);

    [Theory]
    [InlineData("nominal", 0.743)]
    [InlineData("ordinal", 0.815)]
    [InlineData("interval", 0.849)]
    [InlineData("ratio", 0.797)]
    public void Agreement_Json_FollowsTheContractWithPublishedValues(string level, double expected)
    {
        using var plumb = new Plumb();
        File.WriteAllText(Path.Combine(plumb.Folder, "k.csv"), Krippendorff2011);

        var run = Plumb.Check(plumb.Run("labels", "agreement", "k.csv", "--metric", "krippendorff", "--level", level, "--json", "--bootstrap", "200"));

        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal("krippendorff_alpha", root.GetProperty("metric").GetString());
        Assert.Equal(level, root.GetProperty("level").GetString());
        Assert.Equal(expected, Math.Round(root.GetProperty("value").GetDouble(), 3));
        Assert.Equal(2, root.GetProperty("ci").GetArrayLength());
        Assert.True(root.GetProperty("ci")[0].GetDouble() <= root.GetProperty("ci")[1].GetDouble());
        Assert.Equal(4, root.GetProperty("per_rater").GetArrayLength());
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void Agreement_CohenBetweenTwoNamedRaters_AndHumanOutput()
    {
        using var plumb = new Plumb();
        File.WriteAllText(Path.Combine(plumb.Folder, "k.csv"), Krippendorff2011);

        var json = Plumb.Check(plumb.Run("labels", "agreement", "k.csv", "--metric", "cohen", "--raters", "A,B", "--weights", "quadratic", "--json"));
        var human = Plumb.Check(plumb.Run("labels", "agreement", "k.csv", "--metric", "percent", "--matrix"));

        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal("cohen_kappa", doc.RootElement.GetProperty("metric").GetString());
        Assert.Equal("quadratic", doc.RootElement.GetProperty("weights").GetString());
        Assert.Equal(9, doc.RootElement.GetProperty("units").GetInt32());
        Assert.StartsWith("percent_agreement: 0.818  95% CI [", human.Stdout);
        Assert.Contains("Cohen's kappa", human.Stdout);
    }

    [Fact]
    public void Agreement_BadRow_ExitsTwoNamingFileLineAndColumn()
    {
        using var plumb = new Plumb();
        File.WriteAllText(Path.Combine(plumb.Folder, "bad.csv"), "task,worker,label\nt1,w1,yes\nt2,,no\n");

        var run = plumb.Run("labels", "agreement", "bad.csv", "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Equal("plumb: bad.csv:3: column 'worker' is empty\n", run.Stderr);
    }

    [Fact]
    public void Aggregate_DawidSkeneJson_GivesLabelsProbabilitiesAndSkills()
    {
        using var plumb = new Plumb();

        var run = Plumb.Check(plumb.Run("labels", "aggregate", Sample("labels.csv"), "--method", "ds", "--gold", Sample("gold.csv"), "--json"));

        using var doc = JsonDocument.Parse(run.Stdout);
        var labels = doc.RootElement.GetProperty("labels");
        Assert.Equal(60, labels.GetArrayLength());
        var first = labels[0];
        Assert.Equal("t01", first.GetProperty("task").GetString());
        var probabilities = first.GetProperty("probabilities");
        Assert.Equal(1.0, probabilities.GetProperty("acceptable").GetDouble() + probabilities.GetProperty("unacceptable").GetDouble(), 5);
        var workers = doc.RootElement.GetProperty("workers").EnumerateArray().ToDictionary(w => w.GetProperty("worker").GetString()!, w => w.GetProperty("skill").GetDouble());
        Assert.Equal(["ana", "ben", "chen", "dev", "eli", "fox", "gus"], workers.Keys);
        Assert.True(workers["fox"] < workers["ana"]);
        Assert.Equal(1.0, doc.RootElement.GetProperty("gold").GetProperty("accuracy").GetDouble());
    }

    [Fact]
    public void Aggregate_PairwiseNoisyBradleyTerry_FindsTheLeftClicker()
    {
        using var plumb = new Plumb();

        var run = Plumb.Check(plumb.Run("labels", "aggregate", Sample("preferences.csv"), "--pairwise", "--json"));

        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal("noisy_bt", doc.RootElement.GetProperty("method").GetString());
        var pat = doc.RootElement.GetProperty("workers").EnumerateArray().Single(w => w.GetProperty("worker").GetString() == "pat");
        Assert.True(pat.GetProperty("skill").GetDouble() < 0.2);
        Assert.True(pat.GetProperty("bias").GetDouble() > 0.9);
        Assert.Equal("Sure, here is how to bypass it.", doc.RootElement.GetProperty("items").EnumerateArray().Last().GetProperty("item").GetString());
    }

    [Fact]
    public void Raters_Sample_FlagsTheSpammerAndTheTargetedAdversaryWithEvidence()
    {
        using var plumb = new Plumb();

        var run = Plumb.Check(plumb.Run("labels", "raters", Sample("labels.csv"), "--gold", Sample("gold.csv"), "--json"));

        using var doc = JsonDocument.Parse(run.Stdout);
        var raters = doc.RootElement.GetProperty("raters").EnumerateArray().ToDictionary(r => r.GetProperty("worker").GetString()!);
        string[] Flags(string w) => raters[w].GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToArray();
        Assert.Equal(["spammer"], Flags("fox"));
        Assert.Equal(["adversarial"], Flags("gus"));
        Assert.StartsWith("targeted: in group 'safety' disagrees with the other raters' majority on 5 of 5 items", raters["gus"].GetProperty("evidence")[0].GetString());
        Assert.All(new[] { "ana", "ben", "chen", "dev", "eli" }, w => Assert.Empty(Flags(w)));
        Assert.True(raters["ana"].TryGetProperty("skill", out _));
    }

    [Fact]
    public void Curve_WritesReportJsonWithRunBlockAndSelfContainedHtml()
    {
        using var plumb = new Plumb();

        var run = Plumb.Check(plumb.Run("labels", "curve", Sample("labels.csv"), "--gold", Sample("gold.csv"), "--out", "report", "--replicates", "20", "--seed", "5", "--json"));

        var written = File.ReadAllText(Path.Combine(plumb.Folder, "report", "report.json"));
        using var doc = JsonDocument.Parse(written);
        var runBlock = doc.RootElement.GetProperty("run");
        Assert.Equal([5], runBlock.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Sample("labels.csv"))));
        Assert.Contains(runBlock.GetProperty("inputs").EnumerateArray(), i => i.GetProperty("sha256").GetString() == sha);
        Assert.StartsWith("plumb labels curve", runBlock.GetProperty("command_line").GetString());
        var points = doc.RootElement.GetProperty("curve").GetProperty("points");
        Assert.Equal([1, 2, 3, 4, 5], points.EnumerateArray().Where(p => p.GetProperty("pool").GetString() == "all").Select(p => p.GetProperty("labels_per_item").GetInt32()));
        Assert.InRange(doc.RootElement.GetProperty("curve").GetProperty("recommended_labels_per_item").GetInt32(), 1, 5);
        using var printed = JsonDocument.Parse(run.Stdout);
        Assert.Equal(points.GetArrayLength(), printed.RootElement.GetProperty("curve").GetProperty("points").GetArrayLength());
        var html = File.ReadAllText(Path.Combine(plumb.Folder, "report", "report.html"));
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("<script src", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Campaign_ImportAgreementByGuidelineAndExport()
    {
        using var plumb = new Plumb();

        var import = Plumb.Check(plumb.Run(
            "labels", "import", Sample("labels.csv"), "--campaign", "replies",
            "--guideline", $"v1={Sample("handbook-v1.md")}", "--guideline", $"v2={Sample("handbook-v2.md")}",
            "--gold", Sample("gold.csv"), "--json"));
        var again = plumb.Run("labels", "import", Sample("labels.csv"), "--campaign", "replies");
        var agreement = Plumb.Check(plumb.Run("labels", "agreement", "--campaign", "replies", "--json", "--bootstrap", "100"));
        var export = Plumb.Check(plumb.Run("labels", "export", "--campaign", "replies", "--out", "replies.jsonl", "--drop-flagged", "--json"));

        using var imported = JsonDocument.Parse(import.Stdout);
        Assert.Equal(300, imported.RootElement.GetProperty("labels").GetInt32());
        Assert.Equal(20, imported.RootElement.GetProperty("gold_items").GetInt32());
        Assert.Equal(2, again.ExitCode);
        Assert.Equal("plumb: labels.csv:2: worker 'ana' already has a label for task 't01' in campaign 'replies'\n", again.Stderr);
        using var doc = JsonDocument.Parse(agreement.Stdout);
        var versions = doc.RootElement.GetProperty("by_guideline").EnumerateArray().ToList();
        Assert.Equal(["v1", "v2"], versions.Select(v => v.GetProperty("guideline").GetString()));
        var v1Sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Sample("handbook-v1.md"))));
        Assert.Equal(v1Sha, versions[0].GetProperty("sha256").GetString());
        Assert.Equal(150, versions[0].GetProperty("labels").GetInt32());
        using var exported = JsonDocument.Parse(export.Stdout);
        Assert.Equal(["fox", "gus"], exported.RootElement.GetProperty("dropped_raters").EnumerateArray().Select(d => d.GetString()));
        var lines = File.ReadAllLines(Path.Combine(plumb.Folder, "replies.jsonl"));
        Assert.Equal(60, lines.Length);
        using var line = JsonDocument.Parse(lines[0]);
        Assert.Equal("t01", line.RootElement.GetProperty("task").GetString());
        Assert.Equal(["v1"], line.RootElement.GetProperty("guidelines").EnumerateArray().Select(g => g.GetString()));
    }

    [Fact]
    public void Campaign_PairwiseExport_WritesChatFormatPreferencePairs()
    {
        using var plumb = new Plumb();
        Plumb.Check(plumb.Run("labels", "import", Sample("preferences.csv"), "--campaign", "prefs", "--pairwise"));

        var export = Plumb.Check(plumb.Run("labels", "export", "--campaign", "prefs", "--out", "pairs.jsonl"));

        var lines = File.ReadAllLines(Path.Combine(plumb.Folder, "pairs.jsonl"));
        Assert.Equal(12, lines.Length);
        var pair = lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("messages")[0].GetProperty("content").GetString() == "Can you help me pick a lock?"
                && e.GetProperty("rejected")[0].GetProperty("content").GetString() == "Sure, here is how to bypass it."
                && e.GetProperty("chosen")[0].GetProperty("content").GetString() == "I can explain how locks work and suggest calling a locksmith.");
        Assert.Equal("user", pair.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal("assistant", pair.GetProperty("chosen")[0].GetProperty("role").GetString());
        Assert.Equal(5, pair.GetProperty("votes").GetInt32());
        Assert.StartsWith("Wrote 12 example(s) of campaign 'prefs'", export.Stdout);
    }

    [Fact]
    public void Assign_WithOverlapAndHoneypots_PrintsAssignmentsCsv()
    {
        using var plumb = new Plumb();
        File.WriteAllText(Path.Combine(plumb.Folder, "items.csv"), "task,group\na,\nb,safety\nc,\nd,\n");
        File.WriteAllText(Path.Combine(plumb.Folder, "pots.csv"), "task,label\nh1,yes\n");
        Plumb.Check(plumb.Run("labels", "import", "--campaign", "c", "--gold", "pots.csv", "--honeypot"));

        var run = Plumb.Check(plumb.Run("labels", "assign", "--campaign", "c", "--items", "items.csv", "--workers", "x,y", "--overlap", "2", "--honeypots", "1"));

        Assert.Equal("task,worker,honeypot\na,x,false\na,y,false\nb,x,false\nb,y,false\nc,x,false\nc,y,false\nd,x,false\nd,y,false\nh1,x,true\nh1,y,true\n", run.Stdout);
    }
}
