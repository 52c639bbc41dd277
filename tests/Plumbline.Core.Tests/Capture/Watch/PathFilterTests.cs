using Plumbline.Core.Capture.Watch;

namespace Plumbline.Core.Tests.Capture.Watch;

public class PathFilterTests
{
    [Theory]
    [InlineData(".git/config", ".git/")]
    [InlineData("sub/.git/HEAD", ".git/")]
    [InlineData(".env", ".env*")]
    [InlineData("deploy/.env.production", ".env*")]
    [InlineData("certs/server.pem", "*.pem")]
    [InlineData("tls.key", "*.key")]
    [InlineData(".notes.md.swp", "*.swp")]
    [InlineData("draft.md~", "*~")]
    [InlineData("4913", "4913")]
    [InlineData(".plumbline/plumbline.db", ".plumbline/")]
    [InlineData("web/node_modules/x/index.js", "node_modules/")]
    public void Defaults_ExcludeSecretsVersionControlAndEditorFiles(string path, string pattern) =>
        Assert.Equal(pattern, new PathFilter().ExcludedBy(path));

    [Theory]
    [InlineData("notes.md")]
    [InlineData("docs/plan.txt")]
    [InlineData("environment.md")]
    [InlineData("keys.md")]
    [InlineData("git/notes.txt")]
    public void Defaults_KeepOrdinaryFiles(string path) => Assert.Null(new PathFilter().ExcludedBy(path));

    [Fact]
    public void UserPatterns_AddToTheDefaults()
    {
        var filter = new PathFilter(["drafts/**/*.tmp.md", "private/", "*.csv"]);

        Assert.Equal("drafts/**/*.tmp.md", filter.ExcludedBy("drafts/a/b/x.tmp.md"));
        Assert.Equal("drafts/**/*.tmp.md", filter.ExcludedBy("drafts/x.tmp.md"));
        Assert.Equal("private/", filter.ExcludedBy("private/diary.txt"));
        Assert.Null(filter.ExcludedBy("private")); // a file named like the folder pattern is not a folder
        Assert.Equal("*.csv", filter.ExcludedBy("data/results.csv"));
        Assert.Equal(".env*", filter.ExcludedBy(".env")); // defaults still apply
        Assert.Null(filter.ExcludedBy("drafts/x.md"));
    }
}
