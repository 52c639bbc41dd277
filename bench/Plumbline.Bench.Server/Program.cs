using System.Globalization;
using Plumbline.Bench.Server;

// Load against a running plumb serve; bench/server/run.sh starts the servers (SQLite and PostgreSQL) and compares them.
//   dotnet run -c Release --project bench/Plumbline.Bench.Server -- --server URL --token T [--clients 8] [--requests 120] [--label NAME]
// Prints one markdown table row on stdout (the run's figures) and the readable summary on stderr.
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var server = new Uri((Arg("--server") ?? throw new ArgumentException("--server URL is required")).TrimEnd('/') + "/");
var token = Arg("--token") ?? throw new ArgumentException("--token TOKEN is required");
var clients = int.Parse(Arg("--clients") ?? "8", CultureInfo.InvariantCulture);
var requests = int.Parse(Arg("--requests") ?? "120", CultureInfo.InvariantCulture);
var label = Arg("--label") ?? server.Authority;

// A short warm-up (JIT, connection pools, the server's first requests), not counted.
await LoadGenerator.RunAsync(server, token, 2, 6, TimeSpan.FromSeconds(60), CancellationToken.None);
var r = await LoadGenerator.RunAsync(server, token, clients, requests, TimeSpan.FromMinutes(5), CancellationToken.None);
Console.Error.WriteLine($"{label}: {r}");
foreach (var sample in r.ErrorSamples)
{
    Console.Error.WriteLine($"  error: {sample}");
}

Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"| {label} | {r.Clients} | {r.Requests} | {r.Seconds:F2} | {r.RequestsPerSecond:F1} | {r.P50:F1} | {r.P99:F1} | {r.WriteP50:F1} / {r.WriteP99:F1} | {r.ReadP50:F1} / {r.ReadP99:F1} | {r.Errors} |"));
return r.Errors == 0 ? 0 : 1;
