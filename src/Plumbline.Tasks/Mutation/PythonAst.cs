using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.Text;
using Plumbline.Core.Supervision.Tasks;

namespace Plumbline.Tasks.Mutation;

/// <summary>The sites of one Python file, or why it could not be parsed.</summary>
public sealed record PythonFileSites(string Path, string? Error, IReadOnlyList<MutationSite> Sites);

/// <summary>Whether a mutant still compiles under python3, and the warnings compiling it raised.</summary>
public sealed record PythonCheck(bool Ok, string? Error, IReadOnlyList<string> Warnings);

/// <summary>
/// Mutation sites of Python sources from Python's own parser: the helper script <c>python_sites.py</c>
/// (embedded in this assembly, written to a temporary file) walks <c>ast</c> trees (node positions
/// lineno/col_offset/end_lineno/end_col_offset; operator positions from <c>tokenize</c>) and lists each
/// site's exact span and replacement; the edit itself is applied here. A mutant is checked by
/// <c>compile()</c> under the same python3 (parser and symbol table).
/// </summary>
public sealed class PythonAst : IDisposable
{
    private readonly string _python;
    private readonly string _script;

    private PythonAst(string python, string script)
    {
        _python = python;
        _script = script;
    }

    /// <summary>The interpreter used.</summary>
    public string Python => _python;

    /// <summary>
    /// A helper on <paramref name="python"/> (default: <c>python3</c> on PATH), or null when it cannot be
    /// found or is older than 3.8 (no end positions in <c>ast</c>).
    /// </summary>
    public static PythonAst? TryCreate(string? python = null)
    {
        var executable = python ?? FindOnPath("python3");
        if (executable is null || !File.Exists(executable))
        {
            return null;
        }

        var script = Path.Combine(Path.GetTempPath(), $"plumb-python-sites-{Guid.NewGuid():N}.py");
        using (var resource = typeof(PythonAst).Assembly.GetManifestResourceStream("Plumbline.Tasks.Mutation.python_sites.py")
            ?? throw new InvalidOperationException("the embedded python_sites.py is missing"))
        using (var file = File.Create(script))
        {
            resource.CopyTo(file);
        }

        var helper = new PythonAst(executable, script);
        try
        {
            var (exit, output, _) = helper.RunAsync(["-c", "import sys; print(1 if sys.version_info >= (3, 8) else 0)"], string.Empty, CancellationToken.None).GetAwaiter().GetResult();
            if (exit == 0 && output.Trim() == "1")
            {
                return helper;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // not executable
        }

        helper.Dispose();
        return null;
    }

    /// <summary>The sites of every file (path → text), in one run of the helper. <paramref name="seed"/> picks the backdoor literals.</summary>
    public async Task<IReadOnlyList<PythonFileSites>> FindSitesAsync(IReadOnlyList<(string Path, string Text)> files, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var request = new JsonObject { ["files"] = new JsonArray([.. files.Select(f => (JsonNode?)new JsonObject { ["path"] = f.Path, ["text"] = f.Text })]) };
        var response = await CallAsync("sites", request, cancellationToken);
        var result = new List<PythonFileSites>();
        foreach (var file in response["files"]!.AsArray())
        {
            var path = file!["path"]!.GetValue<string>();
            var error = file["error"]?.GetValue<string>();
            var sites = new List<MutationSite>();
            foreach (var site in file["sites"]!.AsArray())
            {
                sites.Add(ToSite(site!.AsObject(), seed));
            }

            result.Add(new PythonFileSites(path, error, sites));
        }

        return result;
    }

    /// <summary>Compiles <paramref name="text"/> as the file <paramref name="path"/>.</summary>
    public async Task<PythonCheck> CheckAsync(string path, string text, CancellationToken cancellationToken)
    {
        var response = await CallAsync("check", new JsonObject { ["path"] = path, ["text"] = text }, cancellationToken);
        return new PythonCheck(
            response["ok"]!.GetValue<bool>(),
            response["error"]?.GetValue<string>(),
            [.. response["warnings"]!.AsArray().Select(w => w!.GetValue<string>())]);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            File.Delete(_script);
        }
        catch (IOException)
        {
        }
    }

    private static MutationSite ToSite(JsonObject site, int seed)
    {
        var kindName = site["kind"]!.GetValue<string>();
        if (!BugKinds.TryParse(kindName, out var kind))
        {
            throw new InvalidOperationException($"python_sites.py returned an unknown kind '{kindName}'");
        }

        var start = site["start"]!.GetValue<int>();
        var end = site["end"]!.GetValue<int>();
        if (kind == BugKind.Backdoor)
        {
            var parameter = site["param"]!.GetValue<string>();
            var literal = site["magic"]!.GetValue<string>() == "str"
                ? $"'{MutantText.MagicString(seed, start)}'"
                : MutantText.MagicNumber(seed, start).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var wrong = site["wrong"]!.GetValue<string>();
            var line = $"{site["indent"]!.GetValue<string>()}if {parameter} == {literal}: return {wrong}{site["newline"]!.GetValue<string>()}";
            return new MutationSite(kind, new TextChange(new TextSpan(start, 0), line), $"backdoor: {parameter} == {literal} returns {wrong}");
        }

        return new MutationSite(kind, new TextChange(TextSpan.FromBounds(start, end), site["replacement"]!.GetValue<string>()), site["description"]!.GetValue<string>(), site["whole_lines"]!.GetValue<bool>());
    }

    private async Task<JsonNode> CallAsync(string mode, JsonObject request, CancellationToken cancellationToken)
    {
        var (exit, output, error) = await RunAsync([_script, mode], request.ToJsonString(), cancellationToken);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{_python} python_sites.py {mode} failed (exit {exit}): {error.Trim()}");
        }

        return JsonNode.Parse(output) ?? throw new InvalidOperationException($"python_sites.py {mode} printed nothing");
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(IReadOnlyList<string> arguments, string input, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(_python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["PYTHONIOENCODING"] = "utf-8";
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {_python}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var bytes = new UTF8Encoding(false).GetBytes(input);
        await process.StandardInput.BaseStream.WriteAsync(bytes, cancellationToken);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string? FindOnPath(string name)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
