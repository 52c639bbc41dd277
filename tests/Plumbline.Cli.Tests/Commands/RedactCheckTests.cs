using System.Text.Json;

namespace Plumbline.Cli.Tests.Commands;

public class RedactCheckTests(ITestOutputHelper output)
{
    // An emoji first, so that code point positions differ from UTF-16 ones.
    private const string Notes = "😀 GITHUB_TOKEN=ghp_R2d2C3poLuke5kyWalker0Leia1Han2Solo7\nmail ada@example.org about Falcon\n";

    [Fact]
    public void Check_Json_FindingsInCodePoints()
    {
        using var plumb = new Plumb();
        File.WriteAllText(Path.Combine(plumb.Folder, "notes.txt"), Notes);

        var run = Plumb.Check(plumb.Run("redact", "--check", "notes.txt", "--json"));

        Assert.Equal(
            """{"findings":[{"kind":"SECRET","start":15,"end":55,"rule":"github-token"},{"kind":"EMAIL","start":61,"end":76,"rule":"email"}]}""" + "\n",
            run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void Check_Terms_AreFoundAsTerm()
    {
        using var plumb = new Plumb();
        File.WriteAllText(Path.Combine(plumb.Folder, "notes.txt"), Notes);

        var run = Plumb.Check(plumb.Run("redact", "--check", "notes.txt", "--json", "--term", "falcon", "--disable", "SECRET"));

        Assert.Equal(
            """{"findings":[{"kind":"EMAIL","start":61,"end":76,"rule":"email"},{"kind":"TERM","start":83,"end":89,"rule":"term"}]}""" + "\n",
            run.Stdout);
    }

    [Fact]
    public void Check_Readable_LinesAndColumnsWithoutTheSecrets()
    {
        using var plumb = new Plumb();
        File.WriteAllText(Path.Combine(plumb.Folder, "notes.txt"), Notes);

        var run = Plumb.Check(plumb.Run("redact", "--check", "notes.txt", "--term", "Falcon"));

        Assert.Equal(
            "notes.txt: 3 findings\n"
            + "  line 1, column 16: [SECRET] github-token, 40 characters at [15, 55)\n"
            + "  line 2, column 6: [EMAIL] email, 15 characters at [61, 76)\n"
            + "  line 2, column 28: [TERM] term, 6 characters at [83, 89)\n",
            run.Stdout);
        Assert.DoesNotContain("ghp_", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NothingFound_Exit0()
    {
        using var plumb = new Plumb();
        File.WriteAllText(Path.Combine(plumb.Folder, "plain.txt"), "Nothing to see here, version 1.2.3.4.5 on 2024-01-15.\n");

        Assert.Equal("""{"findings":[]}""" + "\n", Plumb.Check(plumb.Run("redact", "--check", "plain.txt", "--json")).Stdout);
        Assert.Equal("plain.txt: nothing to redact\n", Plumb.Check(plumb.Run("redact", "--check", "plain.txt")).Stdout);
    }

    [Fact]
    public void Check_MissingFile_Exits2NamingIt()
    {
        using var plumb = new Plumb();

        var run = plumb.Run("redact", "--check", "missing.txt", "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Equal($"plumb: --check: {Path.Combine(plumb.Folder, "missing.txt")}: no such file\n", run.Stderr);
    }

    [Fact]
    public void Check_UnknownRule_Exits2()
    {
        using var plumb = new Plumb();
        File.WriteAllText(Path.Combine(plumb.Folder, "notes.txt"), Notes);

        var run = plumb.Run("redact", "--check", "notes.txt", "--disable", "emails");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("plumb: --disable: 'emails' is not a rule (known: aws-access-key-id, ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RealPrivateKeyFile_OneSecretForTheBlock()
    {
        if (RealData.Find("secrets/fake-leaks/pki/valid/private.key", output.WriteLine) is not { } path)
        {
            return;
        }

        using var plumb = new Plumb();
        using var json = JsonDocument.Parse(Plumb.Check(plumb.Run("redact", "--check", path, "--json")).Stdout);

        var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal(("SECRET", 25, 1728, "private-key"), (finding.GetProperty("kind").GetString(), finding.GetProperty("start").GetInt32(), finding.GetProperty("end").GetInt32(), finding.GetProperty("rule").GetString()));
    }
}
