using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Plumbline.Storage;
using Spectre.Console;

namespace Plumbline.Cli.Infrastructure;

/// <summary>What a verb needs: the store, the clock, and the two ways to print (human or --json).</summary>
internal sealed class CliContext
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    private readonly ParseResult _parse;
    private readonly Lazy<IAnsiConsole> _error;
    private ITraceStore? _store;

    public CliContext(ParseResult parse, TimeProvider time)
    {
        _parse = parse;
        Time = time;
        Json = parse.GetValue(GlobalOptions.Json);
        _error = new Lazy<IAnsiConsole>(() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }));
    }

    public TimeProvider Time { get; }

    public bool Json { get; }

    /// <summary>Messages, warnings and progress go to stderr so stdout stays clean for data (created on first use: it costs start-up time).</summary>
    public IAnsiConsole Error => _error.Value;

    public string StorePath =>
        _parse.GetValue(GlobalOptions.Store)
        ?? (Environment.GetEnvironmentVariable(TraceStores.EnvironmentVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : TraceStores.DefaultPath);

    public ITraceStore Store => _store ??= TraceStores.Open(StorePath);

    public T Get<T>(Option<T> option) => _parse.GetValue(option)!;

    public T Get<T>(Argument<T> argument) => _parse.GetValue(argument)!;

    /// <summary>Prints <paramref name="value"/> as the one JSON document on stdout.</summary>
    public void WriteJson<T>(T value)
    {
        Console.Out.Write(JsonSerializer.Serialize(value, JsonOptions));
        Console.Out.Write('\n');
    }

    /// <summary>Prints a line for people (only without --json).</summary>
    public void Say(string text)
    {
        if (!Json)
        {
            Console.Out.Write(text);
            Console.Out.Write('\n');
        }
    }

    /// <summary>Runs <paramref name="work"/> with a progress bar on stderr when a person is watching a terminal.</summary>
    public async Task<T> WithProgressAsync<T>(string description, Func<IProgress<double>?, Task<T>> work)
    {
        if (Json || Console.IsErrorRedirected)
        {
            return await work(null);
        }

        T result = default!;
        await Error.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(description), maxValue: 1);
                result = await work(new Progress<double>(v => task.Value = v));
                task.Value = 1;
            });
        return result;
    }

    public async ValueTask DisposeStoreAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }
}
