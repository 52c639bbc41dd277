using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Plumbline.Web.Tests;

/// <summary>Sharing in a real browser: the author shares, the reviewer comments on a range, the author resolves it.</summary>
public sealed class ShareTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string Text = "Our result 🧪 holds on every seed we tried.";
    private const string Shared = "~alice/draft.md";

    private static string App(WebHost host, string path) => new Uri(host.Address, "app/" + path).ToString();

    private static Task<string> OnScreenAsync(IPage page) => page.EvaluateAsync<string>("() => window.plumbline.text()");

    [Fact]
    public async Task The_author_shares_with_a_reviewer_who_comments_on_a_range_and_the_author_resolves_it_at_the_right_revision()
    {
        await using var host = await WebHost.StartAsync();

        // alice writes a draft, then shares it with bob as a reviewer from the editor's Share control.
        var alice = await host.SignInAsync(browser.Browser, host.Alice);
        await alice.GotoAsync(App(host, "doc/draft.md"));
        await alice.Locator(".cm-content").ClickAsync();
        await alice.Keyboard.TypeAsync(Text);
        await alice.EvaluateAsync("() => window.plumbline.flush()");
        await alice.ReloadAsync();
        await alice.GetByTestId("share-card").WaitForAsync();
        Assert.Contains("Only you can see this document.", await alice.GetByTestId("shares").InnerTextAsync(), StringComparison.Ordinal);
        await alice.GetByTestId("share-with").FillAsync("bob");
        await alice.GetByTestId("share-role").SelectOptionAsync("reviewer");
        await alice.GetByTestId("share-add").ClickAsync();
        await alice.GetByTestId("share").WaitForAsync();
        Assert.Equal("bob reviewer Revoke", Squash(await alice.GetByTestId("share").InnerTextAsync()));
        await Screenshots.SaveAsync(alice, "editor-share");

        // bob finds it among his documents as ~alice/draft.md and opens it read-only, with the comment tool.
        var bob = await host.SignInAsync(browser.Browser, host.Bob);
        Assert.Equal("shared by alice · reviewer", await bob.GetByTestId("shared-pill").InnerTextAsync());
        Assert.Contains(Shared, await bob.Locator(".doclist").InnerTextAsync(), StringComparison.Ordinal);
        await Screenshots.SaveAsync(bob, "documents-shared");
        await bob.GotoAsync(App(host, "doc/" + Uri.EscapeDataString(Shared)));
        Assert.Equal("reviewing · read-only", await bob.GetByTestId("read-only").InnerTextAsync());
        Assert.True(await bob.GetByTestId("share-card").IsHiddenAsync());
        await bob.Locator(".cm-content").ClickAsync();
        await bob.Keyboard.TypeAsync("bob was here");
        Assert.Equal(Text, await OnScreenAsync(bob));

        // bob selects "holds on every seed" (after an astral character) and comments.
        await bob.EvaluateAsync("() => { const v = window.plumbline.view; const i = v.state.doc.toString().indexOf('holds'); v.dispatch({ selection: { anchor: i, head: i + 19 } }); }");
        await bob.GetByTestId("comment-text").FillAsync("Which seeds? Please list them.");
        await bob.GetByTestId("comment-add").ClickAsync();
        await bob.GetByTestId("comment").WaitForAsync();
        Assert.Contains("bob", await bob.GetByTestId("comment").InnerTextAsync(), StringComparison.Ordinal);
        await Screenshots.SaveAsync(bob, "editor-reviewer");

        using var http = host.Http(host.Alice);
        var madeAt = (await http.GetFromJsonAsync<JsonElement>("api/documents/draft.md")).GetProperty("revisions").GetInt32();
        var comment = (await http.GetFromJsonAsync<JsonElement>("api/documents/draft.md/comments")).GetProperty("comments")[0];
        Assert.Equal(("bob", "holds on every seed", madeAt), (comment.GetProperty("author").GetString(), comment.GetProperty("quote").GetString(), comment.GetProperty("created_revision").GetInt32()));
        Assert.Equal(Text, (await http.GetFromJsonAsync<JsonElement>("api/documents/draft.md/text")).GetProperty("text").GetString());

        // alice sees bob's comment, keeps writing, and resolves it.
        await alice.ReloadAsync();
        await alice.GetByTestId("comment").WaitForAsync();
        Assert.Contains("Which seeds? Please list them.", await alice.GetByTestId("comment").InnerTextAsync(), StringComparison.Ordinal);
        await alice.Locator(".cm-content").ClickAsync();
        await alice.Keyboard.PressAsync("Control+End");
        await alice.Keyboard.TypeAsync(" Seeds 1-5.");
        await alice.EvaluateAsync("() => window.plumbline.flush()");
        await alice.GetByTestId("comment-resolve").ClickAsync();
        await alice.Locator(".comment.resolved").WaitForAsync();
        Assert.Contains("resolved by alice", await alice.GetByTestId("comment").InnerTextAsync(), StringComparison.Ordinal);

        // History: bob's comment appears at the revision he made it, not before.
        await alice.GotoAsync(App(host, "history/draft.md"));
        await alice.GetByTestId("history-text").WaitForAsync();
        Assert.Equal(Text + " Seeds 1-5.", await alice.GetByTestId("history-text").InnerTextAsync());
        await alice.GetByTestId("slider").FillAsync((madeAt - 1).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(0, await alice.GetByTestId("history-comment").CountAsync());
        await alice.GetByTestId("slider").FillAsync(madeAt.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(1, await alice.GetByTestId("history-comment").CountAsync());
        Assert.Equal(madeAt.ToString(CultureInfo.InvariantCulture), await alice.GetByTestId("history-comment").GetAttributeAsync("data-revision"));
        Assert.Contains("Which seeds? Please list them.", await alice.GetByTestId("history-comments").InnerTextAsync(), StringComparison.Ordinal);
        await Screenshots.SaveAsync(alice, "history-reviewer-comment");

        // alice revokes from the Share control: bob's next request finds nothing.
        await alice.GotoAsync(App(host, "doc/draft.md"));
        await alice.GetByTestId("share-revoke").ClickAsync();
        await alice.GetByText("Only you can see this document.").WaitForAsync();
        await bob.ReloadAsync();
        await bob.GetByText($"There is no document named '{Shared}' that you may see.").WaitForAsync();
        using var asBob = host.Http(host.Bob);
        using var gone = await asBob.GetAsync($"api/documents/{Uri.EscapeDataString(Shared)}/text");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        output.WriteLine($"comment made at revision {madeAt}; screenshots in {Screenshots.Folder}");
    }

    private static string Squash(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
