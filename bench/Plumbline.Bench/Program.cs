using Plumbline.Bench;
using Plumbline.Bench.Infrastructure;

// dotnet run -c Release --project bench/Plumbline.Bench -- [all|ingest|replay|random|size|sweep|million] [--quick] [--out FILE] [--plumb PATH] [--plumb-r2r PATH]
var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

using var bench = BenchContext.Create(options.Plumb, options.ReadyToRun);
var report = await BenchRun.RunAsync(bench, options, cancel.Token);
var output = options.Output ?? Path.Combine(bench.RepositoryRoot, "bench", "results", options.Mode == "all" ? "latest.md" : $"latest-{options.Mode}.md");
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllTextAsync(output, report, cancel.Token);
Console.WriteLine(report);
Console.Error.WriteLine($"report written to {output}");
return 0;
