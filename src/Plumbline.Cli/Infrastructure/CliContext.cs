using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Plumbline.Core;
using Plumbline.Server.Client;
using Plumbline.Storage;
using Plumbline.Storage.Keys;
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
    private Storage.Audit.AuditLog? _audit;
    private PlumblineClient? _api;

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

    /// <summary>Where the store's keys live (<c>--keys</c>, <c>PLUMBLINE_KEYS</c>, or beside the store).</summary>
    public KeyLocation Keys => KeyLocation.For(StorePath, _parse.GetValue(GlobalOptions.Keys));

    /// <summary>The local store. In team mode there is none: a verb that needs one fails clearly rather than open a local file.</summary>
    public ITraceStore Store => Team
        ? throw PlumblineException.BadInput($"{CommandPath}: not available with --server (it needs direct store access, which is admin access); run it where the store is, with --store")
        : _store ??= TraceStores.Open(StorePath, Keys);

    /// <summary>The local store's audit log (its key and head in <see cref="Keys"/>).</summary>
    public Storage.Audit.AuditLog Audit => _audit ??= new Storage.Audit.AuditLog(Store, Keys, Time);

    /// <summary>Fails clearly in team mode, for verbs that only work on a local store.</summary>
    public void RequireLocal() => _ = Store;

    /// <summary>The server URL in team mode (<c>--server</c> or <c>PLUMBLINE_SERVER</c>), else null.</summary>
    public string? ServerUrl =>
        _parse.GetValue(GlobalOptions.Server)
        ?? (Environment.GetEnvironmentVariable("PLUMBLINE_SERVER") is { Length: > 0 } fromEnvironment ? fromEnvironment : null);

    /// <summary>Whether commands go through the team server's API.</summary>
    public bool Team => ServerUrl is not null;

    /// <summary>The API client (team mode only).</summary>
    public PlumblineClient Api => _api ??= CreateClient();

    /// <summary>
    /// The contributor acting, from <c>--as</c> on a local store (where it is required). In team mode
    /// <c>--as</c> is refused and this returns null: the server takes identity from the token.
    /// </summary>
    public string? Actor(Option<string> option)
    {
        var given = _parse.GetValue(option);
        if (Team)
        {
            return given is null ? null : throw PlumblineException.BadInput("--as: not used with --server; the token decides who you are (plumb token create --role contributor --contributor NAME)");
        }

        return given ?? throw PlumblineException.BadInput("--as: required on a local store: name the contributor acting");
    }

    /// <summary>"plumb import trace", for messages.</summary>
    public string CommandPath
    {
        get
        {
            var names = new List<string>();
            for (var result = _parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            {
                names.Add(result.Command is RootCommand ? "plumb" : result.Command.Name);
            }

            names.Reverse();
            return string.Join(' ', names);
        }
    }

    private PlumblineClient CreateClient()
    {
        var url = ServerUrl ?? throw new InvalidOperationException("not in team mode");
        if (_parse.GetValue(GlobalOptions.Store) is not null)
        {
            throw PlumblineException.BadInput("--store and --server: give one of them (with --server the server's store is used)");
        }

        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw PlumblineException.BadInput($"--server: '{url}' is not an http:// or https:// URL");
        }

        var token = _parse.GetValue(GlobalOptions.Token)
            ?? (Environment.GetEnvironmentVariable("PLUMBLINE_TOKEN") is { Length: > 0 } fromEnvironment ? fromEnvironment : null)
            ?? throw PlumblineException.BadInput("--token: team mode needs an API token (--token or PLUMBLINE_TOKEN; an admin creates one with plumb token create)");
        return PlumblineClient.Create(uri, token);
    }

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
        _api?.Dispose();
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }
}
