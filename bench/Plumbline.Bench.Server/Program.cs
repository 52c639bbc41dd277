using System.Globalization;
using System.Text.Json;
using Plumbline.Bench.Server;

// Load against a running plumb serve: dotnet run -c Release --project bench/Plumbline.Bench.Server -- --server URL --token T [--clients 8] [--requests 120]
// bench/server/run.sh starts the servers (SQLite and PostgreSQL) and compares them.
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var server = Arg("--server") ?? throw new ArgumentException("--server URL is required");
var token = Arg("--token") ?? throw new ArgumentException("--token TOKEN is required");
var clients = int.Parse(Arg("--clients") ?? "8", CultureInfo.InvariantCulture);
var requests = int.Parse(Arg("--requests") ?? "120", CultureInfo.InvariantCulture);

// A short warm-up (JIT, connection pools), not counted.
await LoadGenerator.RunAsync(new Uri(server.TrimEnd('/') + "/"), token, 2, 6, TimeSpan.FromSeconds(60), CancellationToken.None);
var result = await LoadGenerator.RunAsync(new Uri(server.TrimEnd('/') + "/"), token, clients, requests, TimeSpan.FromMinutes(5), CancellationToken.None);
Console.Error.WriteLine(result);
Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
return result.Errors == 0 ? 0 : 1;
