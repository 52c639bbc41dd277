using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Plumbline.Core;
using Plumbline.Models.Caching;
using Plumbline.Models.Lsa;
using Plumbline.Models.Ngram;

namespace Plumbline.Models;

/// <summary>
/// Resolves model references to clients: a name from <c>plumbline.yaml</c> or an ad-hoc reference
/// (<see cref="ModelReference"/>). Clients for the same endpoint made by one catalog share that
/// endpoint's concurrency limit.
/// </summary>
/// <example>
/// <code>
/// var catalog = ModelCatalog.ForDirectory(Environment.CurrentDirectory);      // reads ./plumbline.yaml if present
/// using IChatClient chat = catalog.CreateChatClient("builtin:ngram:lm.bin");
/// ChatResponse reply = await chat.GetResponseAsync("Once upon a time", new ChatOptions { Seed = 1 });
/// using var embedder = catalog.CreateEmbeddingGenerator("builtin:lsa");
/// float[][] vectors = await embedder.EmbedAsync(texts);                        // see <see cref="Embeddings"/>
/// </code>
/// </example>
public sealed partial class ModelCatalog
{
    /// <summary>The configuration file a catalog is read from by <see cref="ForDirectory"/>.</summary>
    public const string FileName = "plumbline.yaml";

    private readonly Dictionary<string, ModelSettings> _named;
    private readonly ConcurrentDictionary<string, NgramModel> _ngrams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LsaModel> _lsas = new(StringComparer.Ordinal);

    private readonly Func<ModelSettings, ModelSettings>? _adHocDefaults;

    private ModelCatalog(Dictionary<string, ModelSettings> named, string? source, ModelClientOptions options, Func<ModelSettings, ModelSettings>? adHocDefaults = null)
    {
        _named = named;
        _adHocDefaults = adHocDefaults;
        Source = source;
        Options = options;
        _cache = new Lazy<ResponseCache?>(() => options.CacheDirectory is { } folder ? new ResponseCache(folder, options.TimeProvider) : null);
        _jitter = new Lazy<Random>(() => options.JitterSeed is { } seed ? new Random(seed) : new Random());
    }

    /// <summary>A catalog with no names: only ad-hoc references resolve.</summary>
    public static ModelCatalog Empty { get; } = new(new Dictionary<string, ModelSettings>(StringComparer.Ordinal), null, new ModelClientOptions());

    /// <summary>The file the names came from, or null.</summary>
    public string? Source { get; }

    /// <summary>The options every client from this catalog uses.</summary>
    public ModelClientOptions Options { get; }

    /// <summary>The configured names.</summary>
    public IReadOnlyCollection<string> Names => _named.Keys;

    /// <summary>A catalog with the names of <paramref name="directory"/>/plumbline.yaml when that file exists, otherwise none.</summary>
    public static ModelCatalog ForDirectory(string directory, ModelClientOptions? options = null)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        return File.Exists(path) ? Load(path, options) : Empty.WithOptions(options ?? new ModelClientOptions());
    }

    /// <summary>Reads the <c>models:</c> section of a plumbline.yaml file (see README "Models and sampling").</summary>
    /// <exception cref="PlumblineException">BadInput naming the file, line and key.</exception>
    public static ModelCatalog Load(string path, ModelClientOptions? options = null)
    {
        var named = CatalogFile.Read(path);
        return new ModelCatalog(named, path, options ?? new ModelClientOptions());
    }

    /// <summary>The same names with other client options.</summary>
    public ModelCatalog WithOptions(ModelClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ModelCatalog(_named, Source, options, _adHocDefaults);
    }

    /// <summary>The same catalog, with <paramref name="adjust"/> applied to the settings of every ad-hoc reference (e.g. a command's --concurrency); configured names keep their own.</summary>
    public ModelCatalog WithDefaults(Func<ModelSettings, ModelSettings> adjust)
    {
        ArgumentNullException.ThrowIfNull(adjust);
        return new ModelCatalog(_named, Source, Options, adjust);
    }

    /// <summary>The settings for a name or an ad-hoc reference.</summary>
    /// <exception cref="PlumblineException">BadInput when it is neither.</exception>
    public ModelSettings Resolve(string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        if (_named.TryGetValue(reference, out var settings))
        {
            return settings;
        }

        if (ModelReference.IsAdHoc(reference))
        {
            var adHoc = ModelSettings.ForReference(ModelReference.Parse(reference));
            return _adHocDefaults is null ? adHoc : _adHocDefaults(adHoc);
        }

        var known = _named.Count == 0 ? $"no {FileName} names are defined" : "known names: " + string.Join(", ", _named.Keys.Order(StringComparer.Ordinal));
        throw PlumblineException.BadInput($"model '{reference}': not a name in {Source ?? FileName} and not an ad-hoc reference (openai:MODEL@URL, builtin:lsa, builtin:ngram:PATH); {known}");
    }

    /// <summary>A chat client for a reference (<c>builtin:ngram:PATH</c> or <c>openai:MODEL@URL</c>, or a name).</summary>
    /// <exception cref="PlumblineException">BadInput for a reference that cannot chat (<c>builtin:lsa</c>) or a bad reference; NotFound for a missing model file.</exception>
    public IChatClient CreateChatClient(string reference)
    {
        var settings = Resolve(reference);
        return settings.Reference.Provider switch
        {
            ModelProvider.BuiltinNgram => new NgramChatClient(LoadNgram(settings.Reference.Path!), settings.Reference.ToString()),
            ModelProvider.OpenAi => CreateOpenAiChatClient(settings),
            _ => throw PlumblineException.BadInput($"model '{reference}' is an embedder ({settings.Reference}); it cannot answer prompts"),
        };
    }

    /// <summary>An embedding generator for a reference (<c>builtin:lsa[:PATH]</c> or <c>openai:MODEL@URL</c>, or a name).</summary>
    /// <exception cref="PlumblineException">BadInput for a reference that cannot embed (<c>builtin:ngram</c>) or a bad reference; NotFound for a missing model file.</exception>
    public IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(string reference)
    {
        var settings = Resolve(reference);
        return settings.Reference.Provider switch
        {
            ModelProvider.BuiltinLsa => new LsaEmbeddingGenerator(
                settings.Reference.Path is { } path ? LoadLsa(path) : null,
                new LsaOptions(Dimensions: settings.Dimensions, Seed: settings.Seed),
                settings.Reference.ToString()),
            ModelProvider.OpenAi => CreateOpenAiEmbeddingGenerator(settings),
            _ => throw PlumblineException.BadInput($"model '{reference}' is a language model ({settings.Reference}); it cannot embed"),
        };
    }

    private NgramModel LoadNgram(string path) => _ngrams.GetOrAdd(System.IO.Path.GetFullPath(path), NgramModel.Load);

    private LsaModel LoadLsa(string path) => _lsas.GetOrAdd(System.IO.Path.GetFullPath(path), LsaModel.Load);
}
