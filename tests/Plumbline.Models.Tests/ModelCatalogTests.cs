using Microsoft.Extensions.AI;
using Plumbline.Core;
using Plumbline.Models.Ngram;

namespace Plumbline.Models.Tests;

public class ModelCatalogTests
{
    [Theory]
    [InlineData("openai:gpt-4o-mini@https://api.openai.com/v1", ModelProvider.OpenAi, "gpt-4o-mini", "https://api.openai.com/v1", null)]
    [InlineData("openai:llama3.1:8b@http://localhost:11434/v1", ModelProvider.OpenAi, "llama3.1:8b", "http://localhost:11434/v1", null)]
    [InlineData("openai:org@team/model@http://127.0.0.1:8000/v1", ModelProvider.OpenAi, "org@team/model", "http://127.0.0.1:8000/v1", null)]
    [InlineData("builtin:lsa", ModelProvider.BuiltinLsa, "lsa", null, null)]
    [InlineData("builtin:lsa:models/lsa.bin", ModelProvider.BuiltinLsa, "lsa", null, "models/lsa.bin")]
    [InlineData("builtin:ngram:C:/lm.bin", ModelProvider.BuiltinNgram, "ngram", null, "C:/lm.bin")]
    public void Parse_AdHocReferences(string text, ModelProvider provider, string model, string? endpoint, string? path)
    {
        var reference = ModelReference.Parse(text);

        Assert.Equal(provider, reference.Provider);
        Assert.Equal(model, reference.Model);
        Assert.Equal(endpoint, reference.Endpoint?.OriginalString);
        Assert.Equal(path, reference.Path);
        Assert.Equal(text, reference.ToString());
    }

    [Theory]
    [InlineData("openai:gpt-4o", "model reference 'openai:gpt-4o': expected openai:MODEL@BASE_URL, e.g. openai:gpt-4o-mini@https://api.openai.com/v1")]
    [InlineData("openai:gpt-4o@", "model reference 'openai:gpt-4o@': expected openai:MODEL@BASE_URL, e.g. openai:gpt-4o-mini@https://api.openai.com/v1")]
    [InlineData("openai:gpt-4o@localhost:8000", "model reference 'openai:gpt-4o@localhost:8000': 'localhost:8000' is not an http:// or https:// URL")]
    [InlineData("openai:gpt-4o@ftp://host/v1", "model reference 'openai:gpt-4o@ftp://host/v1': 'ftp://host/v1' is not an http:// or https:// URL")]
    [InlineData("builtin:ngram", "model reference 'builtin:ngram': expected openai:MODEL@BASE_URL, builtin:lsa[:PATH], builtin:ngram:PATH or a name from plumbline.yaml")]
    [InlineData("builtin:gpt", "model reference 'builtin:gpt': expected openai:MODEL@BASE_URL, builtin:lsa[:PATH], builtin:ngram:PATH or a name from plumbline.yaml")]
    public void Parse_BadReference_IsBadInputWithReason(string text, string message)
    {
        var e = Assert.Throws<PlumblineException>(() => ModelReference.Parse(text));
        Assert.Equal(FailureKind.BadInput, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Load_Yaml_ResolvesNamesWithSettingsAndRelativePaths()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("plumbline.yaml"), """
            store: .plumbline/plumbline.db   # other features' sections are left alone
            models:
              small:
                ref: openai:gpt-4o-mini@https://api.openai.com/v1
                api_key_env: TEAM_OPENAI_KEY
                max_concurrency: 8
                timeout_seconds: 30
                max_retries: 2
              lm: builtin:ngram:models/lm.bin
              embed:
                ref: builtin:lsa
                dimensions: 32
                seed: 7
            """);

        var catalog = ModelCatalog.ForDirectory(dir.Path);

        var small = catalog.Resolve("small");
        Assert.Equal(ModelProvider.OpenAi, small.Reference.Provider);
        Assert.Equal("TEAM_OPENAI_KEY", small.ApiKeyVariable);
        Assert.True(small.ApiKeyRequired);
        Assert.Equal(8, small.MaxConcurrency);
        Assert.Equal(TimeSpan.FromSeconds(30), small.Timeout);
        Assert.Equal(2, small.MaxRetries);
        Assert.Equal(Path.Combine(dir.Path, "models", "lm.bin"), catalog.Resolve("lm").Reference.Path);
        Assert.Equal((32, 7), (catalog.Resolve("embed").Dimensions, catalog.Resolve("embed").Seed));
        Assert.Equal(ModelSettings.DefaultApiKeyVariable, catalog.Resolve("openai:m@http://127.0.0.1:1/v1").ApiKeyVariable);
        Assert.False(catalog.Resolve("openai:m@http://127.0.0.1:1/v1").ApiKeyRequired);
    }

    [Theory]
    [InlineData("models:\n  a:\n    ref: builtin:lsa\n    colour: red\n", "plumbline.yaml:4: model 'a': unknown key 'colour' (known: ref, api_key_env, max_concurrency, timeout_seconds, max_retries, retry_base_seconds, dimensions, seed)")]
    [InlineData("models:\n  a:\n    max_retries: 2\n", "plumbline.yaml:3: model 'a': 'ref' is required")]
    [InlineData("models:\n  a:\n    ref: builtin:lsa\n    max_concurrency: 0\n", "plumbline.yaml:4: model 'a': max_concurrency must be an integer from 1 to 1024 (was '0')")]
    [InlineData("models:\n  a: openai:x@nowhere\n", "plumbline.yaml:2: model reference 'openai:x@nowhere': 'nowhere' is not an http:// or https:// URL")]
    [InlineData("models: [1, 2]\n", "plumbline.yaml:1: 'models' must be a mapping of names to settings")]
    public void Load_BadYaml_NamesFileLineAndKey(string yaml, string message)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("plumbline.yaml"), yaml);

        var e = Assert.Throws<PlumblineException>(() => ModelCatalog.ForDirectory(dir.Path));

        Assert.Equal(FailureKind.BadInput, e.Kind);
        Assert.Equal(Path.Combine(dir.Path, message), e.Message);
    }

    [Fact]
    public void Resolve_UnknownName_ListsTheKnownOnes()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("plumbline.yaml"), "models:\n  b: builtin:lsa\n  a: builtin:lsa\n");

        var e = Assert.Throws<PlumblineException>(() => ModelCatalog.ForDirectory(dir.Path).Resolve("gpt"));

        Assert.Equal($"model 'gpt': not a name in {dir.File("plumbline.yaml")} and not an ad-hoc reference (openai:MODEL@URL, builtin:lsa, builtin:ngram:PATH); known names: a, b", e.Message);
    }

    [Fact]
    public async Task ChatClient_BuiltinNgram_SamplesDeterministicallyWithSeed()
    {
        using var dir = new TempDirectory();
        NgramModel.Train(["the cat sat on the mat .", "the dog sat on the rug ."]).Save(dir.File("lm.bin"));
        using var chat = ModelCatalog.Empty.CreateChatClient($"builtin:ngram:{dir.File("lm.bin")}");

        var a = await chat.GetResponseAsync("the cat", new ChatOptions { Seed = 3, Temperature = 0.5f });
        var b = await chat.GetResponseAsync("the cat", new ChatOptions { Seed = 3, Temperature = 0.5f });

        Assert.Equal(a.Text, b.Text);
        Assert.NotEmpty(a.Text);
        Assert.Equal($"builtin:ngram:{dir.File("lm.bin")}", a.ModelId);
        Assert.True((double)a.AdditionalProperties!["logprob"]! < 0);
    }

    [Fact]
    public void CreateClients_WrongKind_AndMissingFile_AreClear()
    {
        var wrong = Assert.Throws<PlumblineException>(() => ModelCatalog.Empty.CreateChatClient("builtin:lsa"));
        Assert.Equal("model 'builtin:lsa' is an embedder (builtin:lsa); it cannot answer prompts", wrong.Message);

        var missing = Assert.Throws<PlumblineException>(() => ModelCatalog.Empty.CreateChatClient("builtin:ngram:/nonexistent/lm.bin"));
        Assert.Equal(FailureKind.NotFound, missing.Kind);
        Assert.Equal("/nonexistent/lm.bin: no such n-gram model file", missing.Message);
    }
}
