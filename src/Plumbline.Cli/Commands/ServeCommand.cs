using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Plumbline.Cli.Infrastructure;
using Plumbline.Server.Hosting;
using Plumbline.Storage;
using Plumbline.Storage.Access;
using Plumbline.Storage.Samples;

namespace Plumbline.Cli.Commands;

/// <summary>
/// <c>plumb serve [--urls URL] [--sample]</c>: the team server on the store (SQLite or PostgreSQL), until
/// Ctrl-C or SIGTERM, which let requests in flight finish.
/// </summary>
internal static class ServeCommand
{
    private const string SampleLabel = "sample: ";

    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen (port 0: a free port)", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var sample = new Option<bool>("--sample") { Description = "Load the sample workspace on first run and print new tokens for it (earlier sample tokens are revoked)" };
        var realData = new Option<DirectoryInfo?>("--realdata") { Description = "With --sample: the public test data folder (default: ../shared/realdata beside the repository)" };
        var maxRequest = new Option<long>("--max-request-bytes") { Description = "Larger request bodies are refused with 413", DefaultValueFactory = _ => 64L * 1024 * 1024 };
        var command = new Command("serve", "Run the team server: the HTTP API (OpenAPI at /openapi/v1.json) over this store") { urls, sample, realData, maxRequest };
        return command.WithAction(async (context, ct) =>
        {
            var options = new ServerOptions { Store = context.StorePath, Keys = context.Keys.Directory, Urls = context.Get(urls), MaxRequestBytes = context.Get(maxRequest) };
            if (options.Validate() is { Count: > 0 } errors)
            {
                throw Core.PlumblineException.BadInput(string.Join("; ", errors));
            }

            var store = context.Store;
            var lines = new List<string>();
            if (context.Get(sample))
            {
                lines.AddRange(await LoadSampleAsync(context, store, context.Get(realData)?.FullName ?? DemoCommand.FindRealData(), ct));
            }

            await using var app = PlumblineServer.Build(options, store, context.Time);
            await app.StartAsync(ct);
            var address = PlumblineServer.Addresses(app).FirstOrDefault() ?? options.Urls;
            Console.Out.WriteLine($"Plumbline team server on {store.Description}");
            Console.Out.WriteLine($"  web UI    {address}/app/   (sign in with a token: the editor, history, My data, curator pages)");
            Console.Out.WriteLine($"  API       {address}/api/…   OpenAPI: {address}/openapi/v1.json   health: {address}/health");
            foreach (var line in lines)
            {
                Console.Out.WriteLine(line.Replace("{URL}", address, StringComparison.Ordinal));
            }

            Console.Out.WriteLine($"Listening on {address} (Ctrl-C stops)");
            await Console.Out.FlushAsync(CancellationToken.None);
            try
            {
                await app.WaitForShutdownAsync(ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: the host stops below either way
            }

            await app.StopAsync(CancellationToken.None);
            await Console.Error.WriteLineAsync("plumb: server stopped");
            return ExitCodes.Success;
        });
    }

    /// <summary>The sample workspace on first run; new tokens for it on every run (the secrets of earlier ones cannot be shown again).</summary>
    private static async Task<List<string>> LoadSampleAsync(CliContext context, ITraceStore store, string? realData, CancellationToken ct)
    {
        var lines = new List<string>();
        bool loaded;
        await using (var session = await store.OpenAsync(write: false, ct))
        {
            loaded = await session.FindDocumentAsync(SampleWorkspace.NoteDocument, ct) is not null;
        }

        if (!loaded)
        {
            if (realData is null)
            {
                await Console.Error.WriteLineAsync("plumb: ../shared/realdata not found: loading only the scripted note (pass --realdata DIR for the public traces)");
            }

            var items = await context.WithProgressAsync("Loading the sample workspace", progress =>
                new SampleWorkspace(store, context.Time).LoadAsync(realData, (_, v) => progress?.Report(v), ct));
            lines.Add($"  sample    loaded now: {string.Join(", ", items.Select(i => i.Document))}");
        }
        else
        {
            lines.Add("  sample    loaded on an earlier run");
        }

        lines.AddRange(await SampleArtifacts.EnsureAsync(context, store, ct));

        var tokens = new TokenService(store, context.Time);
        foreach (var old in (await tokens.ListAsync(ct)).Where(t => t.RevokedAt is null && t.Label.StartsWith(SampleLabel, StringComparison.Ordinal)))
        {
            await tokens.RevokeAsync(old.Id, ct);
        }

        var admin = await tokens.CreateAsync(ApiRole.Admin, null, SampleLabel + "admin", "plumb serve --sample", ct);
        var alice = await tokens.CreateAsync(ApiRole.Contributor, SampleWorkspace.Author, SampleLabel + SampleWorkspace.Author, "plumb serve --sample", ct);
        var rita = await tokens.CreateAsync(ApiRole.Contributor, SampleWorkspace.Reviewer, SampleLabel + SampleWorkspace.Reviewer, "plumb serve --sample", ct);
        lines.Add("  tokens    (new on every start with --sample; the previous sample tokens are revoked)");
        lines.Add($"    admin   {admin.Secret}");
        lines.Add($"    {SampleWorkspace.Author,-7} {alice.Secret}   (contributor)");
        lines.Add($"    {SampleWorkspace.Reviewer,-7} {rita.Secret}   (contributor)");
        lines.Add($"  try       curl -H \"Authorization: Bearer {alice.Secret}\" {{URL}}/api/documents");
        lines.Add($"            ./plumb --server {{URL}} --token {alice.Secret} replay {SampleWorkspace.NoteDocument}");
        return lines;
    }
}
