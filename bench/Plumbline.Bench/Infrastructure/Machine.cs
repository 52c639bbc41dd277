using System.Runtime.InteropServices;

namespace Plumbline.Bench.Infrastructure;

/// <summary>What the numbers were measured on.</summary>
internal static class Machine
{
    public static string CpuModel() => ProcField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();

    public static string Memory() => ProcField("/proc/meminfo", "MemTotal") ?? "unknown";

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public static string Describe() =>
        $"{Environment.ProcessorCount} logical CPUs (nproc), {CpuModel()}, {Memory()} RAM; {RuntimeInformation.OSDescription}; .NET {Environment.Version}";

    private static string? ProcField(string file, string key)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
