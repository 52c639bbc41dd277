using Plumbline.Core;

namespace Plumbline.Models;

/// <summary>Which backend a model reference names.</summary>
public enum ModelProvider
{
    /// <summary>Any OpenAI-compatible HTTP endpoint (vLLM, Ollama, llama.cpp server, OpenAI).</summary>
    OpenAi,

    /// <summary>The built-in LSA embedder (TF-IDF + truncated SVD).</summary>
    BuiltinLsa,

    /// <summary>The built-in n-gram language model (modified Kneser–Ney).</summary>
    BuiltinNgram,
}

/// <summary>
/// An ad-hoc model reference, as written on the command line:
/// <list type="bullet">
/// <item><c>openai:MODEL@BASE_URL</c>, e.g. <c>openai:llama3.1:8b@http://localhost:11434/v1</c> (the last <c>@</c> splits model and URL);</item>
/// <item><c>builtin:lsa</c> (fits on the texts of each call) or <c>builtin:lsa:PATH</c> (a model saved by <c>LsaModel.Save</c>);</item>
/// <item><c>builtin:ngram:PATH</c> (a model saved by <c>NgramModel.Save</c> or <c>plumb model ngram train</c>).</item>
/// </list>
/// Names defined in <c>plumbline.yaml</c> are resolved by <see cref="ModelCatalog"/>.
/// </summary>
public sealed record ModelReference(ModelProvider Provider, string Model, Uri? Endpoint = null, string? Path = null)
{
    /// <summary>True when <paramref name="text"/> has the shape of an ad-hoc reference (rather than a configured name).</summary>
    public static bool IsAdHoc(string text) => text.StartsWith("openai:", StringComparison.Ordinal) || text.StartsWith("builtin:", StringComparison.Ordinal);

    /// <summary>Parses an ad-hoc reference.</summary>
    /// <exception cref="PlumblineException">BadInput naming what is wrong.</exception>
    public static ModelReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith("openai:", StringComparison.Ordinal))
        {
            var rest = text["openai:".Length..];
            var at = rest.LastIndexOf('@');
            if (at <= 0 || at == rest.Length - 1)
            {
                throw PlumblineException.BadInput($"model reference '{text}': expected openai:MODEL@BASE_URL, e.g. openai:gpt-4o-mini@https://api.openai.com/v1");
            }

            return new ModelReference(ModelProvider.OpenAi, rest[..at], ParseEndpoint(rest[(at + 1)..], text));
        }

        if (text == "builtin:lsa")
        {
            return new ModelReference(ModelProvider.BuiltinLsa, "lsa");
        }

        if (text.StartsWith("builtin:lsa:", StringComparison.Ordinal) && text.Length > "builtin:lsa:".Length)
        {
            return new ModelReference(ModelProvider.BuiltinLsa, "lsa", Path: text["builtin:lsa:".Length..]);
        }

        if (text.StartsWith("builtin:ngram:", StringComparison.Ordinal) && text.Length > "builtin:ngram:".Length)
        {
            return new ModelReference(ModelProvider.BuiltinNgram, "ngram", Path: text["builtin:ngram:".Length..]);
        }

        throw PlumblineException.BadInput($"model reference '{text}': expected openai:MODEL@BASE_URL, builtin:lsa[:PATH], builtin:ngram:PATH or a name from plumbline.yaml");
    }

    /// <summary>Checks an endpoint URL: absolute http or https.</summary>
    /// <exception cref="PlumblineException">BadInput naming the reference.</exception>
    public static Uri ParseEndpoint(string url, string context)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
        {
            throw PlumblineException.BadInput($"model reference '{context}': '{url}' is not an http:// or https:// URL");
        }

        return uri;
    }

    /// <summary>The canonical text of the reference (what <see cref="Parse"/> reads back).</summary>
    public override string ToString() => Provider switch
    {
        ModelProvider.OpenAi => $"openai:{Model}@{Endpoint!.OriginalString}",
        ModelProvider.BuiltinLsa => Path is null ? "builtin:lsa" : $"builtin:lsa:{Path}",
        _ => $"builtin:ngram:{Path}",
    };
}
