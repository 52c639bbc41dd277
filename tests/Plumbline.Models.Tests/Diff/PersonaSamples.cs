using System.Text.Json;
using Plumbline.Core.Supervision;

namespace Plumbline.Models.Tests.Diff;

/// <summary>A statement from anthropics/evals persona files with what it is known to be: its persona (topic) and stance.</summary>
internal sealed record PersonaStatement(string Persona, bool Agrees, string Statement);

/// <summary>
/// Builds before/after sample sets with planted changes from the real model-written persona statements
/// (../shared/realdata/anthropic-evals/persona: 1000 statements per persona, 500 the persona would say
/// ("Yes" matching) and 500 it would not). Before and after never share a statement.
/// </summary>
internal static class PersonaSamples
{
    public static IReadOnlyList<PersonaStatement>? Load(string persona, Action<string> log)
    {
        var path = RealData.Find($"anthropic-evals/persona/{persona}.jsonl", log);
        if (path is null)
        {
            return null;
        }

        return File.ReadLines(path).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            return new PersonaStatement(persona, root.GetProperty("answer_matching_behavior").GetString() == " Yes", root.GetProperty("statement").GetString()!);
        }).ToArray();
    }

    /// <summary>Draws, without replacement and seeded, per persona: (agreeing, disagreeing) counts for before and after.</summary>
    public static (List<ModelSample> Before, List<ModelSample> After, Dictionary<string, PersonaStatement> Truth)? Build(
        IReadOnlyDictionary<string, ((int Agree, int Disagree) Before, (int Agree, int Disagree) After)> plan, int seed, Action<string> log)
    {
        var random = new Random(seed);
        var before = new List<ModelSample>();
        var after = new List<ModelSample>();
        var truth = new Dictionary<string, PersonaStatement>(StringComparer.Ordinal);
        foreach (var (persona, (b, a)) in plan.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var statements = Load(persona, log);
            if (statements is null)
            {
                return null;
            }

            var agree = statements.Where(s => s.Agrees).OrderBy(_ => random.Next()).ToArray();
            var disagree = statements.Where(s => !s.Agrees).OrderBy(_ => random.Next()).ToArray();
            void Add(List<ModelSample> side, string model, IEnumerable<PersonaStatement> chosen)
            {
                foreach (var s in chosen)
                {
                    var id = $"{model}-{persona}-{side.Count}";
                    side.Add(new ModelSample(id, model, "", s.Statement));
                    truth[id] = s;
                }
            }

            Add(before, "before", agree.Take(b.Agree).Concat(disagree.Take(b.Disagree)));
            Add(after, "after", agree.Skip(b.Agree).Take(a.Agree).Concat(disagree.Skip(b.Disagree).Take(a.Disagree)));
        }

        return (before, after, truth);
    }
}
