using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace Plumbline.Models.Caching;

/// <summary>
/// Model replies on disk: a SQLite file (<c>responses.db</c> in the cache folder; the CLI uses
/// <c>.plumbline/cache</c>), keyed by the SHA-256 of the request — model reference, messages,
/// temperature, top-p, max tokens, stop sequences, seed, log-probabilities flag — and the sample
/// index. Safe for several processes (WAL, busy timeout).
/// </summary>
internal sealed class ResponseCache
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    public ResponseCache(string folder, TimeProvider time)
    {
        Directory.CreateDirectory(folder);
        Path = System.IO.Path.Combine(folder, "responses.db");
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS responses (
                key TEXT PRIMARY KEY,
                model TEXT NOT NULL,
                created_utc TEXT NOT NULL,
                response TEXT NOT NULL
            ) WITHOUT ROWID;
            """;
        command.ExecuteNonQuery();
    }

    public string Path { get; }

    /// <summary>The cache key of a request (hex SHA-256 of its canonical JSON).</summary>
    public static string KeyOf(string model, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var sampleIndex = options?.AdditionalProperties?.TryGetValue(ChatKeys.SampleIndex, out var index) == true ? System.Convert.ToInt64(index, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var logprobs = options?.AdditionalProperties?.TryGetValue(ChatKeys.LogProbabilities, out var flag) == true && flag is true;
        var canonical = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(messages.Select(m => (JsonNode)new JsonArray(m.Role.Value, m.Text)).ToArray()),
            ["temperature"] = options?.Temperature,
            ["top_p"] = options?.TopP,
            ["max_tokens"] = options?.MaxOutputTokens,
            ["stop"] = options?.StopSequences is { } stops ? new JsonArray(stops.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()) : null,
            ["seed"] = options?.Seed,
            ["logprobs"] = logprobs,
            ["sample_index"] = sampleIndex,
        };
        return System.Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToJsonString())));
    }

    public async Task<ChatResponse?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT response FROM responses WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? Decode(json) : null;
    }

    public async Task PutAsync(string key, string model, ChatResponse response, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO responses (key, model, created_utc, response) VALUES ($key, $model, $created, $response)";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$model", model);
        command.Parameters.AddWithValue("$created", _time.GetUtcNow().ToString("O"));
        command.Parameters.AddWithValue("$response", Encode(response));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM responses";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static string Encode(ChatResponse response)
    {
        var props = response.AdditionalProperties;
        var json = new JsonObject
        {
            ["text"] = response.Text,
            ["finish_reason"] = response.FinishReason?.Value,
            ["model_id"] = response.ModelId,
            ["input_tokens"] = response.Usage?.InputTokenCount,
            ["output_tokens"] = response.Usage?.OutputTokenCount,
            ["logprob"] = props?.TryGetValue(ChatKeys.LogProbability, out var lp) == true && lp is double d ? d : null,
            ["token_logprobs"] = props?.TryGetValue(ChatKeys.TokenLogProbabilities, out var tl) == true && tl is TokenLogProbability[] tokens
                ? new JsonArray(tokens.Select(t => (JsonNode)new JsonArray(t.Token, t.LogProbability)).ToArray())
                : null,
        };
        return json.ToJsonString();
    }

    private static ChatResponse Decode(string text)
    {
        var json = JsonNode.Parse(text)!.AsObject();
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, (string?)json["text"] ?? string.Empty))
        {
            ModelId = (string?)json["model_id"],
            FinishReason = (string?)json["finish_reason"] is { } reason ? new ChatFinishReason(reason) : null,
            Usage = new UsageDetails { InputTokenCount = (long?)json["input_tokens"], OutputTokenCount = (long?)json["output_tokens"] },
            AdditionalProperties = new AdditionalPropertiesDictionary { [ChatKeys.Cached] = true },
        };
        if ((double?)json["logprob"] is { } logprob)
        {
            response.AdditionalProperties[ChatKeys.LogProbability] = logprob;
        }

        if (json["token_logprobs"] is JsonArray tokens)
        {
            response.AdditionalProperties[ChatKeys.TokenLogProbabilities] = tokens.Select(t => new TokenLogProbability((string)t![0]!, (double)t[1]!)).ToArray();
        }

        return response;
    }
}
