using Microsoft.Extensions.AI;
using Plumbline.Core;
using Plumbline.Models.Sampling;

namespace Plumbline.Models.Tests.Sampling;

public sealed class PromptFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Read_Jsonl_PromptsChatsIdsAndExtraFields()
    {
        var path = Write("p.jsonl", """
            {"id": "a", "prompt": "Hello?", "category": "greeting"}

            {"id": 7, "messages": [{"role": "system", "content": "be kind"}, {"role": "user", "content": "Hi"}]}
            {"prompt": "no id here"}
            """);

        var prompts = PromptFile.Read(path);

        Assert.Equal(["a", "7", "4"], prompts.Select(p => p.Id));
        Assert.Equal(["Hello?", "Hi", "no id here"], prompts.Select(p => p.Prompt));
        Assert.Equal("\"greeting\"", prompts[0].Extra["category"]!.ToJsonString());
        Assert.Null(prompts[0].Messages);
        Assert.Equal([ChatRole.System, ChatRole.User], prompts[1].Messages!.Select(m => m.Role));
        Assert.Equal([1, 3, 4], prompts.Select(p => p.Line));
    }

    [Fact]
    public void Read_PlainText_OnePromptPerNonBlankLine()
    {
        var prompts = PromptFile.Read(Write("p.txt", "first prompt\n\n  second, with {braces}\n"));

        Assert.Equal(["1", "3"], prompts.Select(p => p.Id));
        Assert.Equal(["first prompt", "  second, with {braces}"], prompts.Select(p => p.Prompt));
    }

    [Theory]
    [InlineData("{\"prompt\": \"ok\"}\n{\"prompt\": \"cut", "p.jsonl:2: not valid JSON: ")]
    [InlineData("{\"prompt\": \"ok\"}\n[1, 2]\n", "p.jsonl:2: expected a JSON object with \"prompt\" or \"messages\"")]
    [InlineData("{\"id\": \"x\", \"text\": \"hi\"}\n", "p.jsonl:1: needs \"prompt\" (a non-empty string) or \"messages\"")]
    [InlineData("{\"id\": \"x\", \"prompt\": \"a\"}\n{\"id\": \"x\", \"prompt\": \"b\"}\n", "p.jsonl:2: duplicate id 'x' (first on line 1)")]
    [InlineData("{\"messages\": [{\"role\": \"robot\", \"content\": \"hi\"}]}\n", "p.jsonl:1: messages[0]: role 'robot' is not system, user or assistant")]
    [InlineData("{\"messages\": []}\n", "p.jsonl:1: \"messages\" must be a non-empty array of {\"role\", \"content\"}")]
    [InlineData("{\"id\": true, \"prompt\": \"a\"}\n", "p.jsonl:1: \"id\" must be a non-empty string or a number")]
    [InlineData("\n\n", "p.jsonl: no prompts")]
    public void Read_BadLine_NamesFileAndLine(string content, string message)
    {
        var path = Write("p.jsonl", content);

        var e = Assert.Throws<PlumblineException>(() => PromptFile.Read(path));

        Assert.Equal(FailureKind.BadInput, e.Kind);
        Assert.StartsWith(Path.Combine(_dir.Path, message), e.Message);
    }

    private string Write(string name, string content)
    {
        File.WriteAllText(_dir.File(name), content.Replace("\r\n", "\n"));
        return _dir.File(name);
    }
}
